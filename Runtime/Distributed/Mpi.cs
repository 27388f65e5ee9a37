using System.Reflection;
using System.Runtime.InteropServices;

namespace AutoDiff.Distributed;

/// <summary>
/// The few calls of the MPI C API that data-parallel training needs, bound to Open MPI's <c>libmpi.so.40</c>. MPI's
/// predefined handles (<c>MPI_COMM_WORLD</c>, <c>MPI_FLOAT</c>, <c>MPI_SUM</c>) are, in Open MPI, the addresses of
/// exported objects (<c>ompi_mpi_comm_world</c>, …), looked up once. The library is opened with RTLD_GLOBAL first:
/// Open MPI's plug-ins resolve their symbols against it, which a library opened privately would hide.
/// </summary>
internal static unsafe partial class Mpi
{
    private const string Library = "libmpi.so.40";
    private const int ThreadFunneled = 1; // MPI_THREAD_FUNNELED in Open MPI's mpi.h
    private static readonly nint InPlace = 1; // MPI_IN_PLACE in Open MPI's mpi.h

    private static nint s_handle;

    public static nint CommWorld { get; private set; }

    public static nint Float { get; private set; }

    public static nint Sum { get; private set; }

    /// <summary>Whether this process was started by Open MPI's <c>mpirun</c> (its environment says so).</summary>
    public static bool Launched => Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is not null;

    /// <summary>Opens the library and initialises MPI (once); throws <see cref="DllNotFoundException"/> naming what to install.</summary>
    public static void Initialize()
    {
        if (s_handle != 0)
        {
            return;
        }

        nint handle = DlOpen(Library, RtldNow | RtldGlobal);
        if (handle == 0)
        {
            throw new DllNotFoundException($"Open MPI's {Library} cannot be loaded ({Marshal.PtrToStringUTF8(DlError())}); install it with 'apt-get install openmpi-bin libopenmpi-dev'.");
        }

        NativeLibrary.SetDllImportResolver(typeof(Mpi).Assembly, Resolve);
        s_handle = handle;
        CommWorld = NativeLibrary.GetExport(handle, "ompi_mpi_comm_world");
        Float = NativeLibrary.GetExport(handle, "ompi_mpi_float");
        Sum = NativeLibrary.GetExport(handle, "ompi_mpi_op_sum");

        int initialized;
        Check(Initialized(&initialized), "MPI_Initialized");
        if (initialized == 0)
        {
            int provided;
            Check(InitThread(null, null, ThreadFunneled, &provided), "MPI_Init_thread");
        }
    }

    public static int Rank()
    {
        int rank;
        Check(CommRank(CommWorld, &rank), "MPI_Comm_rank");
        return rank;
    }

    public static int Size()
    {
        int size;
        Check(CommSize(CommWorld, &size), "MPI_Comm_size");
        return size;
    }

    public static void AllReduceSum(Span<float> buffer)
    {
        fixed (float* p = buffer)
        {
            Check(Allreduce((void*)InPlace, p, buffer.Length, Float, Sum, CommWorld), "MPI_Allreduce");
        }
    }

    public static void Broadcast(Span<float> buffer, int root)
    {
        fixed (float* p = buffer)
        {
            Check(Bcast(p, buffer.Length, Float, root, CommWorld), "MPI_Bcast");
        }
    }

    public static void Abort(int code) => MpiAbort(CommWorld, code);

    public static void End()
    {
        int finalized;
        if (s_handle != 0 && Finalized(&finalized) == 0 && finalized == 0)
        {
            Check(MpiFinalize(), "MPI_Finalize");
        }
    }

    private static void Check(int result, string call)
    {
        // Open MPI's default error handler ends the job on an error; a code comes back only if a user changed it.
        if (result != 0)
        {
            throw new InvalidOperationException($"{call} failed with MPI error {result}.");
        }
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path) => name == Library ? s_handle : 0;

    private const int RtldNow = 2;
    private const int RtldGlobal = 0x100;

    [LibraryImport("libc", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint DlOpen(string file, int mode);

    [LibraryImport("libc", EntryPoint = "dlerror")]
    private static partial nint DlError();

    [LibraryImport(Library, EntryPoint = "MPI_Initialized")]
    private static partial int Initialized(int* flag);

    [LibraryImport(Library, EntryPoint = "MPI_Finalized")]
    private static partial int Finalized(int* flag);

    [LibraryImport(Library, EntryPoint = "MPI_Init_thread")]
    private static partial int InitThread(int* argc, byte*** argv, int required, int* provided);

    [LibraryImport(Library, EntryPoint = "MPI_Comm_rank")]
    private static partial int CommRank(nint comm, int* rank);

    [LibraryImport(Library, EntryPoint = "MPI_Comm_size")]
    private static partial int CommSize(nint comm, int* size);

    [LibraryImport(Library, EntryPoint = "MPI_Allreduce")]
    private static partial int Allreduce(void* send, void* receive, int count, nint type, nint op, nint comm);

    [LibraryImport(Library, EntryPoint = "MPI_Bcast")]
    private static partial int Bcast(void* buffer, int count, nint type, int root, nint comm);

    [LibraryImport(Library, EntryPoint = "MPI_Abort")]
    private static partial int MpiAbort(nint comm, int code);

    [LibraryImport(Library, EntryPoint = "MPI_Finalize")]
    private static partial int MpiFinalize();
}

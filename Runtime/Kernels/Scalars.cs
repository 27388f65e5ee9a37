using System.Runtime.CompilerServices;

namespace AutoDiff.CompilerServices;

/// <summary>
/// The conversions the runtime's loops share between T (float or double) and the double their sums are added in,
/// each a constant branch on T that the JIT removes.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal static class Scalars<T>
    where T : unmanaged
{
    /// <summary>1 in T.</summary>
    public static T One
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => typeof(T) == typeof(float) ? Cast(1f) : Cast(1.0);
    }

    /// <summary>1/N in T, a mean's gradient scale (a float mean scales by the float 1f / N, as a hand-written loop would).</summary>
    /// <param name="count">N.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Inverse(int count) => typeof(T) == typeof(float) ? Cast(1f / count) : Cast(1.0 / count);

    /// <summary>A double sum rounded to T.</summary>
    /// <param name="sum">The sum.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Narrow(double sum) => typeof(T) == typeof(float) ? Cast((float)sum) : Cast(sum);

    /// <summary>A value of T as a double, to be added into a double sum.</summary>
    /// <param name="value">The value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Widen(T value) => typeof(T) == typeof(float) ? Unsafe.As<T, float>(ref value) : Unsafe.As<T, double>(ref value);

    /// <summary>A float or double, known by the caller to be T, as T.</summary>
    /// <typeparam name="TFrom">float or double: T itself.</typeparam>
    /// <param name="value">The value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Cast<TFrom>(TFrom value)
        where TFrom : unmanaged => Unsafe.As<TFrom, T>(ref value);
}

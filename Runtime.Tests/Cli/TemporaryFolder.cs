using AutoDiff.Data;
using AutoDiff.Layers;
using AutoDiff.Optimizers;
using AutoDiff.Training;

namespace AutoDiff.Runtime.Tests.Cli;

/// <summary>A test class's own temporary folder, deleted after its tests.</summary>
public abstract class TemporaryFolder : IDisposable
{
    protected TemporaryFolder(string prefix) => Folder = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>The folder.</summary>
    protected string Folder { get; }

    /// <summary>The MNIST the repository ships.</summary>
    protected static string Data => RepositoryPaths.Mnist;

    public void Dispose()
    {
        Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>A trainer of the benchmark net on 16 test digits, batch 8: enough to write a real checkpoint.</summary>
    protected static Trainer SmallTrainer(out Network<float> network)
    {
        network = MnistModels.Classifier(8, 1);
        var data = new MnistDataset(Mnist.Load(RepositoryPaths.Mnist, training: false).Take(16));
        return new Trainer(network, new Adam<float>(network.OptimizerParameters, 1e-3), data, [HeadTask.CrossEntropy()], 8, 1);
    }
}

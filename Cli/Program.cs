using AutoDiff.Cli;

// The `autodiff` program: `train` (the default) fits the notes' CNN to the MNIST the repository ships.
string command = args.Length > 0 ? args[0] : "train";
if (args.Length > 1 && args[1..].Any(a => a is "--help" or "-h"))
{
    command = "--help";
}
else if (command is "demo" or "help" or "--help" or "-h" && args.Length > 1)
{
    Console.Error.WriteLine($"autodiff {command}: unexpected argument '{args[1]}'. Run 'autodiff --help'.");
    return 2;
}

switch (command)
{
    case "train":
        return Ranks.Run("train", (group, output, error) => Train.Run(args.Length > 0 ? args[1..] : [], output, error, group));
    case "evaluate":
        return Train.Evaluate(args[1..], Console.Out, Console.Error);
    case "retrieve":
        return Ranks.Run("retrieve", (group, output, error) => Retrieve.Run(args[1..], output, error, group));
    case "measure-allocation":
        return Ranks.Run("measure-allocation", (group, output, error) => AllocationCheck.Run(args[1..], output, error, group));
    case "time-step":
        return Ranks.Run("time-step", (group, output, error) => TimeStep.Run(args[1..], output, error, group));
    case "export":
        return OnnxCommands.Export(args[1..], Console.Out, Console.Error);
    case "fit":
        return AutoDiff.Cli.Fitting.Fit.Run(args[1..], Console.Out, Console.Error);
    case "demo":
        return Demo.Run(Console.Out);
    case "plot":
        return Plots.Run(args[1..], Console.Out, Console.Error);
    case "-h" or "--help" or "help":
        Console.WriteLine($"usage: autodiff [{Train.Usage} | evaluate CHECKPOINT [--data DIR] | {Retrieve.Usage} | {TimeStep.Usage} | {OnnxCommands.Usage} | {AutoDiff.Cli.Fitting.Fit.Usage} | demo | {Plots.Usage}]\n\n" +
            "  train         train the CNN on MNIST (default): classification (digits), regression (the offset of a digit\n" +
            "                on a 40×40 canvas) or multitask (both); Adam lr 1e-3 (2e-3 multitask), cosine schedule, batch 64,\n" +
            "                seed 1, 3 epochs (5 for the translated tasks), random shifts of 1 px (classification) unless told;\n" +
            "                writes runs/TASK/model.ckpt after every epoch and runs/TASK/curve.png; --resume continues a\n" +
            "                checkpoint bit for bit (more --epochs than it was laid out for stretch the cosine, and it says\n" +
            "                so); --limit N trains on the first N images (a quick look); --no-progress: plain lines;\n" +
            "                under Open MPI's `mpirun -np N` (train, retrieve, time-step) the ranks split every batch and\n" +
            "                sum their gradients (docs/cluster.md)\n" +
            "  evaluate      the test accuracy (and position error) of a train checkpoint, or the recall@1, recall@5\n" +
            "                and mAP of a retrieve checkpoint; of an exported OUT.onnx, run by ONNX Runtime\n" +
            "  export        a checkpoint as an ONNX model: input float32 [batch, 1, H, W] pixels in [0, 1] (the\n" +
            "                standardisation inside), outputs 'logits', 'offset' or 'embedding' per head; --softmax adds\n" +
            "                'probabilities'\n" +
            "  retrieve      learn 32-dimensional embeddings of the digits with each miner (triplet loss: random, semi-hard,\n" +
            "                batch-hard; contrastive loss: random pairs, hard pairs), batches of 8 digits × 8 images, 2 epochs;\n" +
            "                print recall@1, recall@5 and mAP of every test image against the rest; draw each digit's\n" +
            "                nearest neighbours into runs/retrieve/MINER/neighbours.png; --limit N trains on the first N\n" +
            "                images, --gallery N scores the first N test images (a quick look)\n" +
            "  time-step     time the benchmark net's training step (batch 64) on each thread count: images/s and the\n" +
            "                speed-up over the first count\n" +
            "  fit           fit a NIST StRD nonlinear regression problem (data/nist) with Levenberg–Marquardt on the\n" +
            "                generated Jacobian: the parameters, standard errors, residual sum of squares and log relative\n" +
            "                error against NIST's certified values, and a plot (runs/fit/NAME-startK.png); --all fits every\n" +
            "                problem from both starts and prints the table of docs/fitting.md\n" +
            "  demo          differentiate a few functions and check the gradients\n" +
            "  plot WHAT     draw every activation beside its generated derivative (activations), the regression\n" +
            "                and margin losses with their gradients (losses), or every optimizer's path on the\n" +
            "                Rosenbrock valley and a saddle (optimizers), into PNG files");
        return 0;
    default:
        Console.Error.WriteLine($"autodiff: unknown command '{command}'. Run 'autodiff --help' for the commands.");
        return 2;
}

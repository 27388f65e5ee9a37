using AutoDiff.Cli;

// The `autodiff` program. Until the training commands land, `demo` (the default) shows the generator at work.
string command = args.Length > 0 ? args[0] : "demo";
switch (command)
{
    case "demo":
        return Demo.Run(Console.Out);
    case "plot":
        return Plots.Run(args[1..], Console.Out, Console.Error);
    case "-h" or "--help" or "help":
        Console.WriteLine($"usage: autodiff [demo | {Plots.Usage}]\n\n" +
            "  demo          differentiate a few functions and check the gradients (default)\n" +
            "  plot WHAT     draw every activation beside its generated derivative (activations), the regression\n" +
            "                and margin losses with their gradients (losses), or every optimizer's path on the\n" +
            "                Rosenbrock valley and a saddle (optimizers), into PNG files");
        return 0;
    default:
        Console.Error.WriteLine($"autodiff: unknown command '{command}'. Run 'autodiff --help' for the commands.");
        return 2;
}

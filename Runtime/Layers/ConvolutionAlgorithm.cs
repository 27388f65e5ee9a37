namespace AutoDiff.Layers;

/// <summary>How a <see cref="Conv2D{T}"/> computes its products (as oneDNN's convolution_auto and convolution_winograd choose).</summary>
public enum ConvolutionAlgorithm
{
    /// <summary><see cref="Winograd"/> where it applies (stride 1, a 3×3 or 5×5 kernel) and pays (8 input channels or more), else <see cref="Gemm"/>.</summary>
    Auto,

    /// <summary>
    /// Unfold each sample (im2col) and multiply on <see cref="Layers.Gemm"/>: every output is one dot product of
    /// C·k² terms, rounded as a blocked sum.
    /// </summary>
    Gemm,

    /// <summary>
    /// Winograd's minimal filtering F(2×2, k×k) (Lavin and Gray, 2016) for stride 1 and k = 3 or 5: 2.25× (3×3)
    /// or 2.8× (5×5) fewer multiplications. The same sums in another order, through transforms with entries up to
    /// 5 (and down to 1/24 for 5×5): in float, 3×3 results are as close to exact as <see cref="Gemm"/>'s (a few
    /// 1e-7 of the largest value), 5×5 ones about 10× further (outputs and input gradients 3e-6, weight gradients
    /// 7e-6 of the largest value, against 5e-7 and 3e-7; measured on the benchmark net's second convolution).
    /// </summary>
    Winograd,
}

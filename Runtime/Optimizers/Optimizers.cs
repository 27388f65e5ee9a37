using System.Numerics;

namespace AutoDiff.Optimizers;

/// <summary>How momentum enters SGD.</summary>
public enum MomentumStyle
{
    /// <summary>PyTorch's: b = μb + (1 − dampening)g, θ = θ − η·b (η multiplies after; the default).</summary>
    PyTorch,

    /// <summary>The course notes': v = γv + η∇, θ = θ − v (η inside the velocity). The same trajectory as PyTorch's while η is constant; they differ when a schedule changes η.</summary>
    Notes,
}

/// <summary>
/// Stochastic gradient descent (batch or mini-batch, by what the gradient is), with optional momentum,
/// Nesterov momentum and coupled L2 weight decay — <c>torch.optim.SGD</c>. Step t: g = ∇ + λθ; with
/// momentum μ, b = g at t = 1, else μb + (1 − dampening)g, and g = g + μb (Nesterov) or b; θ = θ − ηg.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Sgd<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Rule _update;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">Each parameter's values and gradient.</param>
    /// <param name="learningRate">η &gt; 0.</param>
    /// <param name="momentum">μ in [0, 1); 0 is plain SGD.</param>
    /// <param name="dampening">In [0, 1]; must be 0 with Nesterov.</param>
    /// <param name="nesterov">Nesterov momentum (needs μ &gt; 0).</param>
    /// <param name="weightDecay">λ ≥ 0, coupled L2: the gradient gets λθ.</param>
    /// <param name="style">Where η enters the velocity.</param>
    public Sgd(IEnumerable<(Memory<T> Value, Memory<T> Gradient)> parameters, double learningRate, double momentum = 0, double dampening = 0,
        bool nesterov = false, double weightDecay = 0, MomentumStyle style = MomentumStyle.PyTorch)
        : base(parameters, learningRate, slots: momentum > 0 ? 1 : 0)
    {
        InRange(momentum, 0, 1, nameof(momentum));
        InRange(dampening, 0, 1, nameof(dampening), inclusive: true);
        InRange(weightDecay, 0, double.PositiveInfinity, nameof(weightDecay));
        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum needs a momentum above 0 and no dampening.", nameof(nesterov));
        }

        _update = new Rule
        {
            Momentum = T.CreateChecked(momentum),
            Damped = T.CreateChecked(1 - dampening),
            Nesterov = nesterov,
            WeightDecay = T.CreateChecked(weightDecay),
            HasMomentum = momentum > 0,
            Notes = style == MomentumStyle.Notes,
        };
    }

    /// <inheritdoc/>
    protected override void BeginStep(long step, double learningRate)
    {
        _update.First = step == 1;
        _update.Rate = T.CreateChecked(learningRate);
    }

    /// <inheritdoc/>
    protected override void Update(int parameter, int start, int end) =>
        ElementwiseUpdate.Run<T, Rule>(_update, Value(parameter), Gradient(parameter), _update.HasMomentum ? State(parameter, 0) : default, default, default,
            _update.HasMomentum ? 1 : 0, start, end);

    private struct Rule : IElementwiseUpdate<T>
    {
        public T Momentum, Damped, WeightDecay, Rate;
        public bool Nesterov, HasMomentum, Notes, First;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public readonly void Apply(ref Vector<T> value, Vector<T> gradient, ref Vector<T> velocity, ref Vector<T> s1, ref Vector<T> s2)
        {
            if (WeightDecay != T.Zero)
            {
                gradient += value * WeightDecay;
            }

            if (!HasMomentum)
            {
                value -= gradient * Rate;
                return;
            }

            if (Notes)
            {
                // v = γv + η∇ (η inside), θ = θ − v; Nesterov looks ahead by γv.
                velocity = First ? gradient * Rate : (velocity * Momentum) + (gradient * Rate);
                value -= Nesterov ? (gradient * Rate) + (velocity * Momentum) : velocity;
                return;
            }

            velocity = First ? gradient : (velocity * Momentum) + (gradient * Damped);
            value -= (Nesterov ? gradient + (velocity * Momentum) : velocity) * Rate;
        }
    }
}

/// <summary>
/// Adagrad — <c>torch.optim.Adagrad</c>: g = ∇ + λθ; s = s + g²; θ = θ − η·g/(√s + ε) (PyTorch, the default),
/// or θ = θ − η·g/√(s + ε) with ε inside the square root, as the course notes write it.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Adagrad<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Rule _update;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">Each parameter's values and gradient.</param>
    /// <param name="learningRate">η &gt; 0 (PyTorch's default is 0.01).</param>
    /// <param name="epsilon">ε ≥ 0 (PyTorch's default is 1e-10).</param>
    /// <param name="weightDecay">λ ≥ 0, coupled L2.</param>
    /// <param name="epsilonInsideSquareRoot">The notes' √(s + ε) instead of PyTorch's √s + ε.</param>
    public Adagrad(IEnumerable<(Memory<T> Value, Memory<T> Gradient)> parameters, double learningRate = 0.01, double epsilon = 1e-10,
        double weightDecay = 0, bool epsilonInsideSquareRoot = false)
        : base(parameters, learningRate, slots: 1)
    {
        InRange(epsilon, 0, double.PositiveInfinity, nameof(epsilon));
        InRange(weightDecay, 0, double.PositiveInfinity, nameof(weightDecay));
        _update = new Rule { Epsilon = T.CreateChecked(epsilon), WeightDecay = T.CreateChecked(weightDecay), Inside = epsilonInsideSquareRoot };
    }

    /// <inheritdoc/>
    protected override void BeginStep(long step, double learningRate) => _update.Rate = T.CreateChecked(learningRate);

    /// <inheritdoc/>
    protected override void Update(int parameter, int start, int end) =>
        ElementwiseUpdate.Run<T, Rule>(_update, Value(parameter), Gradient(parameter), State(parameter, 0), default, default, 1, start, end);

    private struct Rule : IElementwiseUpdate<T>
    {
        public T Epsilon, WeightDecay, Rate;
        public bool Inside;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public readonly void Apply(ref Vector<T> value, Vector<T> gradient, ref Vector<T> sum, ref Vector<T> s1, ref Vector<T> s2)
        {
            if (WeightDecay != T.Zero)
            {
                gradient += value * WeightDecay;
            }

            sum += gradient * gradient;
            var denominator = Inside ? Vector.SquareRoot(sum + new Vector<T>(Epsilon)) : Vector.SquareRoot(sum) + new Vector<T>(Epsilon);
            value -= gradient / denominator * Rate;
        }
    }
}

/// <summary>
/// RMSProp — <c>torch.optim.RMSprop</c>: g = ∇ + λθ; s = αs + (1 − α)g²; centered: m = αm + (1 − α)g and
/// d = √(s − m²) + ε, else d = √s + ε; with momentum μ: b = μb + g/d, θ = θ − ηb; else θ = θ − ηg/d.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class RmsProp<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Rule _update;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">Each parameter's values and gradient.</param>
    /// <param name="learningRate">η &gt; 0 (PyTorch's default is 0.01).</param>
    /// <param name="alpha">α in [0, 1), the decay of the mean square.</param>
    /// <param name="epsilon">ε ≥ 0.</param>
    /// <param name="momentum">μ in [0, 1).</param>
    /// <param name="centered">Divide by the variance estimate instead of the mean square.</param>
    /// <param name="weightDecay">λ ≥ 0, coupled L2.</param>
    public RmsProp(IEnumerable<(Memory<T> Value, Memory<T> Gradient)> parameters, double learningRate = 0.01, double alpha = 0.99,
        double epsilon = 1e-8, double momentum = 0, bool centered = false, double weightDecay = 0)
        : base(parameters, learningRate, slots: 1 + (momentum > 0 ? 1 : 0) + (centered ? 1 : 0))
    {
        InRange(alpha, 0, 1, nameof(alpha));
        InRange(epsilon, 0, double.PositiveInfinity, nameof(epsilon));
        InRange(momentum, 0, 1, nameof(momentum));
        InRange(weightDecay, 0, double.PositiveInfinity, nameof(weightDecay));
        _update = new Rule
        {
            Alpha = T.CreateChecked(alpha),
            OneMinusAlpha = T.CreateChecked(1 - alpha),
            Epsilon = T.CreateChecked(epsilon),
            Momentum = T.CreateChecked(momentum),
            WeightDecay = T.CreateChecked(weightDecay),
            Centered = centered,
        };
    }

    /// <inheritdoc/>
    protected override void BeginStep(long step, double learningRate) => _update.Rate = T.CreateChecked(learningRate);

    /// <inheritdoc/>
    // State: the mean square, then the momentum buffer (with momentum), then the mean (centered): only
    // what the options use is allocated and streamed.
    protected override void Update(int parameter, int start, int end)
    {
        int slots = 1 + (_update.Momentum > T.Zero ? 1 : 0) + (_update.Centered ? 1 : 0);
        ElementwiseUpdate.Run<T, Rule>(_update, Value(parameter), Gradient(parameter), State(parameter, 0),
            slots > 1 ? State(parameter, 1) : default, slots > 2 ? State(parameter, 2) : default, slots, start, end);
    }

    private struct Rule : IElementwiseUpdate<T>
    {
        public T Alpha, OneMinusAlpha, Epsilon, Momentum, WeightDecay, Rate;
        public bool Centered;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public readonly void Apply(ref Vector<T> value, Vector<T> gradient, ref Vector<T> square, ref Vector<T> second, ref Vector<T> third)
        {
            ref Vector<T> buffer = ref second;
            ref Vector<T> mean = ref (Momentum > T.Zero ? ref third : ref second);
            if (WeightDecay != T.Zero)
            {
                gradient += value * WeightDecay;
            }

            square = (square * Alpha) + (gradient * gradient * OneMinusAlpha);
            Vector<T> average;
            if (Centered)
            {
                mean = (mean * Alpha) + (gradient * OneMinusAlpha);
                average = Vector.SquareRoot(square - (mean * mean)) + new Vector<T>(Epsilon);
            }
            else
            {
                average = Vector.SquareRoot(square) + new Vector<T>(Epsilon);
            }

            if (Momentum > T.Zero)
            {
                buffer = (buffer * Momentum) + (gradient / average);
                value -= buffer * Rate;
            }
            else
            {
                value -= gradient / average * Rate;
            }
        }
    }
}

/// <summary>
/// Adadelta — <c>torch.optim.Adadelta</c>: g = ∇ + λθ; s = ρs + (1 − ρ)g²; Δ = √(u + ε)/√(s + ε)·g;
/// u = ρu + (1 − ρ)Δ²; θ = θ − ηΔ.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Adadelta<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Rule _update;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">Each parameter's values and gradient.</param>
    /// <param name="learningRate">η &gt; 0 (PyTorch's default is 1).</param>
    /// <param name="rho">ρ in [0, 1).</param>
    /// <param name="epsilon">ε ≥ 0 (PyTorch's default is 1e-6).</param>
    /// <param name="weightDecay">λ ≥ 0, coupled L2.</param>
    public Adadelta(IEnumerable<(Memory<T> Value, Memory<T> Gradient)> parameters, double learningRate = 1.0, double rho = 0.9,
        double epsilon = 1e-6, double weightDecay = 0)
        : base(parameters, learningRate, slots: 2)
    {
        InRange(rho, 0, 1, nameof(rho));
        InRange(epsilon, 0, double.PositiveInfinity, nameof(epsilon));
        InRange(weightDecay, 0, double.PositiveInfinity, nameof(weightDecay));
        _update = new Rule { Rho = T.CreateChecked(rho), OneMinusRho = T.CreateChecked(1 - rho), Epsilon = T.CreateChecked(epsilon), WeightDecay = T.CreateChecked(weightDecay) };
    }

    /// <inheritdoc/>
    protected override void BeginStep(long step, double learningRate) => _update.Rate = T.CreateChecked(learningRate);

    /// <inheritdoc/>
    protected override void Update(int parameter, int start, int end) =>
        ElementwiseUpdate.Run<T, Rule>(_update, Value(parameter), Gradient(parameter), State(parameter, 0), State(parameter, 1), default, 2, start, end);

    private struct Rule : IElementwiseUpdate<T>
    {
        public T Rho, OneMinusRho, Epsilon, WeightDecay, Rate;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public readonly void Apply(ref Vector<T> value, Vector<T> gradient, ref Vector<T> square, ref Vector<T> accumulated, ref Vector<T> s2)
        {
            if (WeightDecay != T.Zero)
            {
                gradient += value * WeightDecay;
            }

            var epsilon = new Vector<T>(Epsilon);
            square = (square * Rho) + (gradient * gradient * OneMinusRho);
            var delta = Vector.SquareRoot(accumulated + epsilon) / Vector.SquareRoot(square + epsilon) * gradient;
            accumulated = (accumulated * Rho) + (delta * delta * OneMinusRho);
            value -= delta * Rate;
        }
    }
}

/// <summary>
/// Adam — <c>torch.optim.Adam</c> (and AdamW with <c>decoupledWeightDecay</c>, <c>torch.optim.AdamW</c>):
/// g = ∇ + λθ (coupled) or θ = θ(1 − ηλ) first (decoupled); m = β₁m + (1 − β₁)g; v = β₂v + (1 − β₂)g²;
/// with AMSGrad v̂ = max(v̂, v) replaces v; θ = θ − (η/(1 − β₁ᵗ))·m/(√v/√(1 − β₂ᵗ) + ε). The bias
/// corrections 1 − βᵗ undo the zero start of the moving averages: m/(1 − β₁ᵗ) is the weighted average of
/// the gradients with weights summing to 1 (the notes' EWMA identity, tested).
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Adam<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double _beta1, _beta2, _weightDecay;
    private readonly bool _decoupled;

    /// <inheritdoc/>
    protected override string Variant => _decoupled ? "AdamW, decoupled weight decay" : string.Empty;
    private Rule _update;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">Each parameter's values and gradient.</param>
    /// <param name="learningRate">η &gt; 0 (PyTorch's default is 1e-3).</param>
    /// <param name="beta1">β₁ in [0, 1).</param>
    /// <param name="beta2">β₂ in [0, 1).</param>
    /// <param name="epsilon">ε ≥ 0.</param>
    /// <param name="weightDecay">λ ≥ 0.</param>
    /// <param name="amsgrad">The AMSGrad variant (the running maximum of v).</param>
    /// <param name="decoupledWeightDecay">AdamW: decay θ directly instead of adding λθ to the gradient.</param>
    public Adam(IEnumerable<(Memory<T> Value, Memory<T> Gradient)> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0, bool amsgrad = false, bool decoupledWeightDecay = false)
        : base(parameters, learningRate, slots: amsgrad ? 3 : 2)
    {
        _beta1 = InRange(beta1, 0, 1, nameof(beta1));
        _beta2 = InRange(beta2, 0, 1, nameof(beta2));
        InRange(epsilon, 0, double.PositiveInfinity, nameof(epsilon));
        _weightDecay = InRange(weightDecay, 0, double.PositiveInfinity, nameof(weightDecay));
        _decoupled = decoupledWeightDecay;
        _update = new Rule
        {
            Beta1 = T.CreateChecked(beta1),
            OneMinusBeta1 = T.CreateChecked(1 - beta1),
            Beta2 = T.CreateChecked(beta2),
            OneMinusBeta2 = T.CreateChecked(1 - beta2),
            Epsilon = T.CreateChecked(epsilon),
            AmsGrad = amsgrad,
        };
    }

    /// <summary>AdamW (<c>torch.optim.AdamW</c>, whose default weight decay is 0.01): Adam with decoupled weight decay.</summary>
    /// <param name="parameters">Each parameter's values and gradient.</param>
    /// <param name="learningRate">η &gt; 0.</param>
    /// <param name="weightDecay">λ ≥ 0.</param>
    /// <param name="beta1">β₁ in [0, 1).</param>
    /// <param name="beta2">β₂ in [0, 1).</param>
    /// <param name="epsilon">ε ≥ 0.</param>
    /// <param name="amsgrad">The AMSGrad variant.</param>
    /// <returns>The optimizer.</returns>
    public static Adam<T> AdamW(IEnumerable<(Memory<T> Value, Memory<T> Gradient)> parameters, double learningRate = 1e-3, double weightDecay = 0.01,
        double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, bool amsgrad = false) =>
        new(parameters, learningRate, beta1, beta2, epsilon, weightDecay, amsgrad, decoupledWeightDecay: true);

    /// <inheritdoc/>
    protected override void BeginStep(long step, double learningRate)
    {
        double correction1 = 1 - Math.Pow(_beta1, step);
        double correction2 = 1 - Math.Pow(_beta2, step);
        _update.StepSize = T.CreateChecked(learningRate / correction1);
        _update.InverseCorrection2Root = T.CreateChecked(1 / Math.Sqrt(correction2));
        _update.CoupledDecay = T.CreateChecked(_decoupled ? 0 : _weightDecay);
        _update.DecoupledFactor = T.CreateChecked(_decoupled ? 1 - (learningRate * _weightDecay) : 1);
    }

    /// <inheritdoc/>
    protected override void Update(int parameter, int start, int end) =>
        ElementwiseUpdate.Run<T, Rule>(_update, Value(parameter), Gradient(parameter), State(parameter, 0), State(parameter, 1),
            _update.AmsGrad ? State(parameter, 2) : default, _update.AmsGrad ? 3 : 2, start, end);

    private struct Rule : IElementwiseUpdate<T>
    {
        public T Beta1, OneMinusBeta1, Beta2, OneMinusBeta2, Epsilon, StepSize, InverseCorrection2Root, CoupledDecay, DecoupledFactor;
        public bool AmsGrad;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public readonly void Apply(ref Vector<T> value, Vector<T> gradient, ref Vector<T> m, ref Vector<T> v, ref Vector<T> vMax)
        {
            if (DecoupledFactor != T.One)
            {
                value *= DecoupledFactor;
            }

            if (CoupledDecay != T.Zero)
            {
                gradient += value * CoupledDecay;
            }

            m = (m * Beta1) + (gradient * OneMinusBeta1);
            v = (v * Beta2) + (gradient * gradient * OneMinusBeta2);
            var second = v;
            if (AmsGrad)
            {
                vMax = Vector.Max(vMax, v);
                second = vMax;
            }

            // PyTorch divides √v by √(1 − β₂ᵗ); multiplying by the reciprocal (≤ 1 ulp apart) keeps one
            // division per element, where two and a square root made this step compute-bound.
            var denominator = (Vector.SquareRoot(second) * InverseCorrection2Root) + new Vector<T>(Epsilon);
            value -= m * StepSize / denominator;
        }
    }
}

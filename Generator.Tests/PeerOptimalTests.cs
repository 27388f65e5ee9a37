using System.Reflection;

namespace AutoDiff.Generator.Tests;

/// <summary>
/// The test functions of tmitchel2/optimal, a C# source generator for automatic differentiation
/// (<c>src/Optimal.Tests/AutoDiff.Tests</c>: MathFunctions, SimpleTestFunctions, NestedFunctions,
/// IntermediateVariableTestFunctions, ConstantFunctions, ConditionalFunctions, LoopFunctions,
/// CurvilinearDynamicsFunctions, SimpleGradientTest and SimpleBrachistochrone), copied by this work's author with
/// <c>[Differentiable]</c> in place of its <c>[OptimalCode]</c> (not independently; the bodies as written, C# already):
/// all 61 are taken (its Square, in two of those classes, once). Each gradient is compared to central differences of
/// the method in double at points away from its kinks (optimal's own tests compare to closed forms and finite
/// differences), and the Jvp to the gradient along a direction. Not copied: its Brachistochrone, which builds objects
/// (optimal's own generator does not take it either).
/// </summary>
public sealed class PeerOptimalTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        public static partial class Optimal
        {
            // MathFunctions
            [Differentiable] public static double SquareRoot(double x) => Math.Sqrt(x);
            [Differentiable] public static double Sine(double x) => Math.Sin(x);
            [Differentiable] public static double Cosine(double x) => Math.Cos(x);
            [Differentiable] public static double Tangent(double x) => Math.Tan(x);
            [Differentiable] public static double Exponential(double x) => Math.Exp(x);
            [Differentiable] public static double Logarithm(double x) => Math.Log(x);
            [Differentiable] public static double Power(double x, double n) => Math.Pow(x, n);
            [Differentiable] public static double AbsoluteValue(double x) => Math.Abs(x);
            [Differentiable] public static double Velocity(double height) => Math.Sqrt(2.0 * 9.81 * height);
            [Differentiable] public static double SinPlusExp(double x) => Math.Sin(x) + Math.Exp(x);
            [Differentiable] public static double ComplexFunction(double x) => (Math.Sqrt(x) * Math.Sin(x)) + Math.Log(x);
            [Differentiable] public static double ComplexFunction(double x, double y) => Math.Sin(x) * Math.Exp(y);

            // SimpleTestFunctions
            [Differentiable] public static double Square(double x) => x * x;
            [Differentiable] public static double Add(double x, double y) => x + y;
            [Differentiable] public static double Multiply(double x, double y) => x * y;
            [Differentiable] public static double KineticEnergy(double mass, double velocity) => 0.5 * mass * velocity * velocity;

            // NestedFunctions
            [Differentiable] public static double SquareOfSquare(double x) => Square(Square(x));
            [Differentiable]
            public static double ComplexNested(double x, double y)
            {
                var a = Square(x);
                var b = Square(y);
                return a + b;
            }

            [Differentiable] public static double NestedWithMath(double x) => Math.Sin(Square(x));
            [Differentiable] public static double DeepNesting(double x) => Square(Square(Square(x)));
            [Differentiable] public static double Cube(double x) => x * x * x;
            [Differentiable] public static double MixedNesting(double x, double y) => Square(x) + Cube(y);
            [Differentiable]
            public static double ChainedFunctions(double x)
            {
                var a = Square(x);
                var b = Cube(a);
                return Math.Sqrt(b);
            }

            // IntermediateVariableTestFunctions
            [Differentiable]
            public static double SimpleWithIntermediate(double x)
            {
                var sinX = Math.Sin(x);
                var cosX = Math.Cos(x);
                return sinX + cosX;
            }

            [Differentiable] public static double SimpleInlined(double x) => Math.Sin(x) + Math.Cos(x);
            [Differentiable]
            public static double CartPoleLikeWithIntermediate(double x, double y)
            {
                var sinY = Math.Sin(y);
                var sin2Y = sinY * sinY;
                var denom = 1.0 + sin2Y;
                return (x + sinY) / denom;
            }

            [Differentiable] public static double CartPoleLikeInlined(double x, double y) => (x + Math.Sin(y)) / (1.0 + (Math.Sin(y) * Math.Sin(y)));
            [Differentiable]
            public static double ComplexWithIntermediate(double x, double y)
            {
                var sinX = Math.Sin(x);
                var cosX = Math.Cos(x);
                var sinY = Math.Sin(y);
                var cosY = Math.Cos(y);
                return (sinX * cosY) + (cosX * sinY);
            }

            [Differentiable] public static double ComplexInlined(double x, double y) => (Math.Sin(x) * Math.Cos(y)) + (Math.Cos(x) * Math.Sin(y));
            [Differentiable]
            public static double MultipleUsesOfIntermediate(double x)
            {
                var sinX = Math.Sin(x);
                return sinX + (sinX * sinX) + (sinX * sinX * sinX);
            }

            [Differentiable] public static double MultipleUsesInlined(double x) => Math.Sin(x) + (Math.Sin(x) * Math.Sin(x)) + (Math.Sin(x) * Math.Sin(x) * Math.Sin(x));
            [Differentiable]
            public static double ChainedIntermediates(double x)
            {
                var a = x + 1.0;
                var b = a * a;
                var c = b * b * b;
                return c;
            }

            [Differentiable] public static double ChainedInlined(double x) => (x + 1.0) * (x + 1.0) * (x + 1.0) * (x + 1.0) * (x + 1.0) * (x + 1.0);

            // ConstantFunctions
            [Differentiable] public static double One(double x) => 1.0;
            [Differentiable] public static double Zero(double x) => 0.0;
            [Differentiable] public static double ConstantWithMultipleParams(double x, double y, double z) => 1.0;
            [Differentiable] public static double ComputedConstant(double x) => 2.0 * 3.14159;

            // ConditionalFunctions
            [Differentiable] public static double ReLU(double x) => x > 0.0 ? x : 0.0;
            [Differentiable] public static double LeakyReLU(double x) => x > 0.0 ? x : 0.01 * x;
            [Differentiable] public static double Max(double a, double b) => a > b ? a : b;
            [Differentiable] public static double Min(double a, double b) => a < b ? a : b;
            [Differentiable]
            public static double Clamp(double x, double min, double max)
            {
                if (x < min)
                {
                    return min;
                }
                else if (x > max)
                {
                    return max;
                }
                else
                {
                    return x;
                }
            }

            [Differentiable]
            public static double PiecewiseLinear(double x)
            {
                if (x < -1.0)
                {
                    return -x - 1.0;
                }
                else if (x > 1.0)
                {
                    return x - 1.0;
                }
                else
                {
                    return 0.0;
                }
            }

            [Differentiable]
            public static double Quadratic(double x)
            {
                if (x < 0.0)
                {
                    return x * x;
                }
                else
                {
                    return 2.0 * x;
                }
            }

            [Differentiable]
            public static double SmoothStep(double x)
            {
                var result = 0.0;
                if (x <= 0.0)
                {
                    result = 0.0;
                }
                else if (x >= 1.0)
                {
                    result = 1.0;
                }
                else
                {
                    result = (3.0 * x * x) - (2.0 * x * x * x);
                }

                return result;
            }

            // LoopFunctions
            [Differentiable]
            public static double SumOfSquares(double x, int n)
            {
                var sum = 0.0;
                for (var i = 0; i < n; i++)
                {
                    sum += x * x;
                }

                return sum;
            }

            [Differentiable]
            public static double SumOfCubes(double x, int n)
            {
                var sum = 0.0;
                for (var i = 0; i < n; i++)
                {
                    sum += x * x * x;
                }

                return sum;
            }

            [Differentiable]
            public static double LinearSum(double x, int n)
            {
                var sum = 0.0;
                for (var i = 0; i < n; i++)
                {
                    sum += x;
                }

                return sum;
            }

            [Differentiable]
            public static double ProductAccumulation(double x, int n)
            {
                var product = 1.0;
                for (var i = 0; i < n; i++)
                {
                    product *= x;
                }

                return product;
            }

            [Differentiable]
            public static double IndexedSum(double x, int n)
            {
                var sum = 0.0;
                for (var i = 0; i < n; i++)
                {
                    sum += i * x;
                }

                return sum;
            }

            // CurvilinearDynamicsFunctions
            public const double EntryLength = 15.0;
            public const double CenterlineRadius = 5.0;

            [Differentiable] public static double QuarterCircleArcLength(double radius) => Math.PI * radius / 2.0;
            [Differentiable] public static double SineWithPiOffset(double x) => Math.Sin(x + (Math.PI / 4.0));
            [Differentiable]
            public static double AngleWrap(double theta)
            {
                if (theta > Math.PI)
                {
                    return theta - (2.0 * Math.PI);
                }
                else if (theta < -Math.PI)
                {
                    return theta + (2.0 * Math.PI);
                }
                else
                {
                    return theta;
                }
            }

            [Differentiable]
            public static double RoadHeading(double s)
            {
                var arcLength = Math.PI * CenterlineRadius / 2.0;
                var entryEnd = EntryLength;
                var arcEnd = EntryLength + arcLength;
                if (s < entryEnd)
                {
                    return 0.0;
                }
                else if (s < arcEnd)
                {
                    var arcProgress = (s - entryEnd) / arcLength;
                    return -arcProgress * Math.PI / 2.0;
                }
                else
                {
                    return -Math.PI / 2.0;
                }
            }

            [Differentiable]
            public static double RoadCurvature(double s)
            {
                var arcLength = Math.PI * CenterlineRadius / 2.0;
                var entryEnd = EntryLength;
                var arcEnd = EntryLength + arcLength;
                if (s < entryEnd)
                {
                    return 0.0;
                }
                else if (s < arcEnd)
                {
                    return 1.0 / CenterlineRadius;
                }
                else
                {
                    return 0.0;
                }
            }

            [Differentiable]
            public static double ProgressRateInline(double s, double n, double theta, double v)
            {
                var arcLength = Math.PI * CenterlineRadius / 2.0;
                var entryEnd = EntryLength;
                var arcEnd = EntryLength + arcLength;
                double thetaRoad;
                double curvature;
                if (s < entryEnd)
                {
                    thetaRoad = 0.0;
                    curvature = 0.0;
                }
                else if (s < arcEnd)
                {
                    var arcProgress = (s - entryEnd) / arcLength;
                    thetaRoad = -arcProgress * Math.PI / 2.0;
                    curvature = 1.0 / CenterlineRadius;
                }
                else
                {
                    thetaRoad = -Math.PI / 2.0;
                    curvature = 0.0;
                }

                var headingError = theta - thetaRoad;
                var denominator = 1.0 - (n * curvature);
                if (denominator < 0.1)
                {
                    denominator = 0.1;
                }

                return v * Math.Cos(headingError) / denominator;
            }

            [Differentiable]
            public static double LateralRateInline(double s, double n, double theta, double v)
            {
                var arcLength = Math.PI * CenterlineRadius / 2.0;
                var entryEnd = EntryLength;
                var arcEnd = EntryLength + arcLength;
                double thetaRoad;
                if (s < entryEnd)
                {
                    thetaRoad = 0.0;
                }
                else if (s < arcEnd)
                {
                    var arcProgress = (s - entryEnd) / arcLength;
                    thetaRoad = -arcProgress * Math.PI / 2.0;
                }
                else
                {
                    thetaRoad = -Math.PI / 2.0;
                }

                var headingError = theta - thetaRoad;
                return v * Math.Sin(headingError);
            }

            public static double ArcLength => Math.PI * CenterlineRadius / 2.0;

            [Differentiable]
            public static double ProgressWithProperty(double s, double v)
            {
                var arcLength = ArcLength;
                var entryEnd = EntryLength;
                var arcEnd = entryEnd + arcLength;
                if (s < entryEnd)
                {
                    return v;
                }
                else if (s < arcEnd)
                {
                    var arcProgress = (s - entryEnd) / arcLength;
                    return v * (1.0 - (0.3 * arcProgress));
                }
                else
                {
                    return v * 0.7;
                }
            }

            [Differentiable]
            public static double ConditionalWithDivision(double x, double y)
            {
                double factor;
                if (x < 10.0)
                {
                    factor = 2.0;
                }
                else
                {
                    factor = y / x;
                }

                return y * factor;
            }

            // SimpleGradientTest and SimpleBrachistochrone
            [Differentiable]
            public static double TestFunction(double x, double y)
            {
                var chordLen = Math.Sqrt((x * x) + (y * y));
                var angle = Math.Atan2(y, x);
                var result = chordLen * angle;
                return result;
            }

            private const double Gravity = 9.81;
            private const double Epsilon = 1e-10;

            [Differentiable]
            public static double GetDescentTime(double radius, double startHeight, double endX, int segments)
            {
                var chordLength = Math.Sqrt((endX * endX) + (startHeight * startHeight) + Epsilon);
                var perpX = startHeight / chordLength;
                var perpY = endX / chordLength;
                var halfChord = chordLength / 2.0;
                var sagitta = radius - Math.Sqrt((radius * radius) - (halfChord * halfChord) + Epsilon);
                var sagittaRatio = sagitta / chordLength;
                var arcLength = chordLength * (1.0 + (sagittaRatio * sagittaRatio / 6.0));
                var totalTime = 0.0;
                for (var i = 0; i < segments; i++)
                {
                    var s1 = i / (double)segments;
                    var s2 = (i + 1) / (double)segments;
                    var x1_chord = endX * s1;
                    var y1_chord = startHeight * (1.0 - s1);
                    var x2_chord = endX * s2;
                    var y2_chord = startHeight * (1.0 - s2);
                    var dist1_from_center = chordLength * Math.Abs(s1 - 0.5);
                    var dist2_from_center = chordLength * Math.Abs(s2 - 0.5);
                    var offset1 = radius - Math.Sqrt((radius * radius) - (dist1_from_center * dist1_from_center) + Epsilon);
                    var offset2 = radius - Math.Sqrt((radius * radius) - (dist2_from_center * dist2_from_center) + Epsilon);
                    var x1 = x1_chord + (perpX * offset1);
                    var y1 = y1_chord - (perpY * offset1);
                    var x2 = x2_chord + (perpX * offset2);
                    var y2 = y2_chord - (perpY * offset2);
                    var h1 = startHeight - y1 + Epsilon;
                    var h2 = startHeight - y2 + Epsilon;
                    var v1 = Math.Sqrt(2.0 * Gravity * h1);
                    var v2 = Math.Sqrt(2.0 * Gravity * h2);
                    var avgVel = (v1 + v2) / 2.0;
                    var dx = x2 - x1;
                    var dy = y2 - y1;
                    var segLength = Math.Sqrt((dx * dx) + (dy * dy) + Epsilon);
                    var segTime = segLength / (avgVel + Epsilon);
                    totalTime += segTime;
                }

                return totalTime;
            }
        }
        """;

    private static readonly Lazy<Type> Compiled = new(() => GeneratorHarness.CompileType(Source, "Optimal"));

    // Points away from each method's kinks, an int argument last where the method takes one.
    [Theory]
    [InlineData("SquareRoot", 4.0)]
    [InlineData("Sine", 0.785)]
    [InlineData("Cosine", 1.047)]
    [InlineData("Tangent", 0.5236)]
    [InlineData("Exponential", 2.0)]
    [InlineData("Logarithm", 2.0)]
    [InlineData("Power", 2.0, 3.0)]
    [InlineData("AbsoluteValue", 3.0)]
    [InlineData("AbsoluteValue", -3.0)]
    [InlineData("Velocity", 10.0)]
    [InlineData("SinPlusExp", 0.7)]
    [InlineData("ComplexFunction", 1.3)]
    [InlineData("ComplexFunction", 1.3, -0.4)]
    [InlineData("Square", 1.7)]
    [InlineData("Add", 1.7, -2.0)]
    [InlineData("Multiply", 1.7, -2.0)]
    [InlineData("KineticEnergy", 3.0, 4.5)]
    [InlineData("SquareOfSquare", 1.2)]
    [InlineData("ComplexNested", 1.2, -0.8)]
    [InlineData("NestedWithMath", 0.9)]
    [InlineData("DeepNesting", 1.1)]
    [InlineData("Cube", -1.3)]
    [InlineData("MixedNesting", 0.6, 1.4)]
    [InlineData("ChainedFunctions", 1.5)]
    [InlineData("SimpleWithIntermediate", 0.4)]
    [InlineData("SimpleInlined", 0.4)]
    [InlineData("CartPoleLikeWithIntermediate", 0.3, 1.1)]
    [InlineData("CartPoleLikeInlined", 0.3, 1.1)]
    [InlineData("ComplexWithIntermediate", 0.3, 1.1)]
    [InlineData("ComplexInlined", 0.3, 1.1)]
    [InlineData("MultipleUsesOfIntermediate", 0.8)]
    [InlineData("MultipleUsesInlined", 0.8)]
    [InlineData("ChainedIntermediates", 0.5)]
    [InlineData("ChainedInlined", 0.5)]
    [InlineData("One", 0.5)]
    [InlineData("Zero", 0.5)]
    [InlineData("ConstantWithMultipleParams", 0.5, 1.5, 2.5)]
    [InlineData("ComputedConstant", 0.5)]
    [InlineData("ReLU", 1.5)]
    [InlineData("ReLU", -1.5)]
    [InlineData("LeakyReLU", -1.5)]
    [InlineData("Max", 1.0, 2.0)]
    [InlineData("Min", 1.0, 2.0)]
    [InlineData("Clamp", 0.5, 0.0, 1.0)]
    [InlineData("Clamp", -0.5, 0.0, 1.0)]
    [InlineData("Clamp", 1.5, 0.0, 1.0)]
    [InlineData("PiecewiseLinear", -2.0)]
    [InlineData("PiecewiseLinear", 0.5)]
    [InlineData("PiecewiseLinear", 2.0)]
    [InlineData("Quadratic", -0.5)]
    [InlineData("Quadratic", 0.5)]
    [InlineData("SmoothStep", 0.3)]
    [InlineData("SmoothStep", 1.5)]
    [InlineData("SumOfSquares", 1.3, 4)]
    [InlineData("SumOfCubes", 1.3, 4)]
    [InlineData("LinearSum", 1.3, 4)]
    [InlineData("ProductAccumulation", 1.3, 4)]
    [InlineData("IndexedSum", 1.3, 4)]
    [InlineData("QuarterCircleArcLength", 5.0)]
    [InlineData("SineWithPiOffset", 0.2)]
    [InlineData("AngleWrap", 4.0)]
    [InlineData("AngleWrap", -4.0)]
    [InlineData("AngleWrap", 1.0)]
    [InlineData("RoadHeading", 10.0)]
    [InlineData("RoadHeading", 18.0)]
    [InlineData("RoadHeading", 30.0)]
    [InlineData("RoadCurvature", 18.0)]
    [InlineData("ProgressRateInline", 18.0, 0.5, 0.2, 3.0)]
    [InlineData("ProgressRateInline", 10.0, 0.5, 0.2, 3.0)]
    [InlineData("ProgressRateInline", 30.0, 0.5, 0.2, 3.0)]
    [InlineData("LateralRateInline", 18.0, 0.5, 0.2, 3.0)]
    [InlineData("ProgressWithProperty", 18.0, 3.0)] // a static property read (ArcLength)
    [InlineData("ProgressWithProperty", 10.0, 3.0)]
    [InlineData("ConditionalWithDivision", 5.0, 2.0)]
    [InlineData("ConditionalWithDivision", 12.0, 2.0)]
    [InlineData("TestFunction", 1.5, 0.7)]
    [InlineData("GetDescentTime", 80.0, 100.0, 100.0, 20)]
    public void The_gradient_matches_central_differences_and_the_Jvp_the_gradient(string name, params object[] point)
    {
        var type = Compiled.Value;
        var types = point.Select(p => p.GetType()).ToArray();
        var original = type.GetMethod(name, types)!;
        var reals = Enumerable.Range(0, point.Length).Where(i => point[i] is double).ToArray();
        var gradient = type.GetMethod(name + "Gradient", types.Concat(reals.Select(_ => typeof(double).MakeByRefType())).ToArray())!;
        var arguments = point.Concat(reals.Select(_ => (object?)null)).ToArray();
        double value = (double)gradient.Invoke(null, arguments)!;
        Numerics.Close((double)original.Invoke(null, point)!, value, 1e-12, name + " value");

        var direction = reals.Select(i => 0.5 + (0.25 * i)).ToArray();
        double along = 0;
        for (int k = 0; k < reals.Length; k++)
        {
            var (expected, smooth) = Numerics.CentralDifference(x =>
            {
                var at = (object[])point.Clone();
                at[reals[k]] = x[0];
                return (double)original.Invoke(null, at)!;
            }, [(double)point[reals[k]]], 0, h: 1e-5);
            Assert.True(smooth, $"{name}: not smooth at the point");
            double d = (double)arguments[point.Length + k]!;
            Assert.True(Math.Abs(d - expected) <= 1e-6 * (1 + Math.Abs(expected)), $"{name}: ∂/∂{original.GetParameters()[reals[k]].Name} = {d:R}, central differences {expected:R}");
            along += d * direction[k];
        }

        var jvp = type.GetMethod(name + "Jvp", types.Concat(reals.Select(_ => typeof(double))).Append(typeof(double).MakeByRefType()).ToArray())!;
        var jvpArguments = point.Concat(direction.Cast<object?>()).Append(null).ToArray();
        Numerics.Close(value, (double)jvp.Invoke(null, jvpArguments)!, 1e-12, name + " Jvp value");
        Numerics.Close(along, (double)jvpArguments[^1]!, 1e-12, name + " Jvp tangent");
    }
}

// Test kernels: compiled by the tests (float as written, and turned into double), never by the test project.
namespace Kernels;

/// <summary>The interval every parameter is sampled from in the gradient checks.</summary>
[System.AttributeUsage(System.AttributeTargets.Method)]
public sealed class DomainAttribute(double low, double high) : System.Attribute
{
    public double Low => low;

    public double High => high;
}

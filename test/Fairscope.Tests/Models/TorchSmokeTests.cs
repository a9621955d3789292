using static TorchSharp.torch;

namespace Fairscope.Tests;

/// <summary>Proves TorchSharp's natives load and compute (on Debian 12 this needs the libLibTorchSharp.so patch
/// that Directory.Build.targets applies).</summary>
public sealed class TorchSmokeTests
{
    [Fact]
    public void Matmul_of_known_matrices()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);
        var b = tensor(new float[] { 5, 6, 7, 8 }).reshape(2, 2);

        var product = matmul(a, b);

        Assert.Equal([2L, 2L], product.shape);
        Assert.Equal([19f, 22f, 43f, 50f], product.data<float>().ToArray());
    }
}

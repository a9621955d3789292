using TorchSharp;
using static TorchSharp.torch;

namespace Fairscope;

/// <summary>What the vision models share: seeded initialisation and chunked inference.</summary>
internal static class VisionModules
{
    /// <summary>Redraws every weight and bias as PyTorch's default for convolutions and linear layers does
    /// (kaiming-uniform with a = √5, i.e. U(±1/√fan_in) for both), from a generator seeded by <paramref name="seed"/>,
    /// so a model depends on its seed alone and not on torch's global generator. Norm gains and offsets are 1 and 0.</summary>
    public static void Reset(nn.Module module, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var _ = no_grad();
        // TorchSharp 0.107's GroupNorm leaves its affine parameters uninitialised (seen as gains of 0, 1e-18 and NaN):
        // set them here, and LayerNorm's too, so a model depends on nothing but its seed.
        foreach (var norm in module.modules())
        {
            var (weight, bias) = norm switch
            {
                TorchSharp.Modules.GroupNorm g => (g.weight, g.bias),
                TorchSharp.Modules.LayerNorm l => (l.weight, l.bias),
                _ => (null, null),
            };
            weight?.fill_(1);
            bias?.zero_();
        }
        var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        foreach (var (name, weight) in parameters)
        {
            if (!name.EndsWith(".weight", StringComparison.Ordinal) || weight.dim() < 2) continue;
            // fan_in is dim 1 times the kernel, as PyTorch computes it (for a transposed conv that is its output channels)
            double bound = 1 / Math.Sqrt(weight.shape.Skip(1).Aggregate(1L, (a, b) => a * b));
            weight.uniform_(-bound, bound, generator);
            if (parameters.TryGetValue(name[..^"weight".Length] + "bias", out var bias)) bias.uniform_(-bound, bound, generator);
        }
    }

    /// <summary>Runs <paramref name="body"/> on chunks of <paramref name="chunk"/> rows of <paramref name="input"/>
    /// (moved to the module's device), without gradients and in evaluation mode (restored afterwards), and
    /// concatenates the results. The caller owns the result.</summary>
    public static Tensor Infer(nn.Module module, Tensor input, int chunk, Func<Tensor, Tensor> body)
    {
        bool wasTraining = module.training;
        module.eval();
        try
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            var device = module.parameters().First().device;
            var parts = new List<Tensor>();
            for (long start = 0; start < input.shape[0] || start == 0; start += chunk)
                parts.Add(body(input[TensorIndex.Slice(start, start + chunk)].to(device)));
            return (parts.Count == 1 ? parts[0] : cat(parts)).MoveToOuterDisposeScope();
        }
        finally
        {
            module.train(wasTraining);
        }
    }
}

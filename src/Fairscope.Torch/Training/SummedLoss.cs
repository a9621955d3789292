using static TorchSharp.torch;

namespace Fairscope;

/// <summary>Several <see cref="IAuxiliaryLoss"/> terms added together, e.g. BPO over gender pairs and over race pairs.</summary>
public sealed class SummedLoss(params IAuxiliaryLoss[] terms) : IAuxiliaryLoss
{
    /// <inheritdoc />
    public string Name => string.Join(" + ", terms.Select(t => t.Name));

    /// <inheritdoc />
    public Tensor Compute(Gpt model, Random random)
    {
        if (terms.Length == 0) throw new FairscopeException("a summed loss needs at least one term");
        var total = terms[0].Compute(model, random);
        foreach (var term in terms.Skip(1)) total = total + term.Compute(model, random);
        return total;
    }
}

namespace Fairscope;

/// <summary>Histograms of image-token (codebook) ids, the language-model side of the U-MLLM locate analysis
/// (arXiv 2502.03429): every token of every image generated for one prompt, counted over a codebook of size V.</summary>
public static class TokenHistogram
{
    /// <summary>Counts of each id in [0, <paramref name="codebookSize"/>) over all <paramref name="sequences"/>.</summary>
    public static double[] Count(IEnumerable<IReadOnlyList<int>> sequences, int codebookSize)
    {
        if (codebookSize < 1) throw new FairscopeException($"codebook size {codebookSize}: give a positive number of codebook entries");
        var counts = new double[codebookSize];
        foreach (var sequence in sequences)
            foreach (var id in sequence)
            {
                if ((uint)id >= (uint)codebookSize) throw new FairscopeException($"token id {id} is outside the codebook [0, {codebookSize}); raise --codebook-size or fix the id");
                counts[id]++;
            }
        return counts;
    }
}

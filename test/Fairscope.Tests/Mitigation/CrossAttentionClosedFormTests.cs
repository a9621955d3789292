using static TorchSharp.torch;

namespace Fairscope.Tests;

/// <summary><see cref="ClosedFormEdit"/>: UCE's closed form against a case worked by hand, MIST's targets against hand
/// values, exact preservation of a concept orthogonal to the edited ones, the identity when nothing moves, and the
/// singular system's error.</summary>
public sealed class CrossAttentionClosedFormTests
{
    /// <summary>A spec with the given embeddings and class weights; prompts are placeholders.</summary>
    internal static CrossAttentionEditSpec Spec(Tensor concepts, Tensor attributes, double[,] weights, Tensor preserved,
        double lambda = CrossAttentionEditSpec.DefaultLambda, double preserveScale = CrossAttentionEditSpec.DefaultPreserveScale) =>
        new([.. Enumerable.Range(0, (int)concepts.shape[0]).Select(i => $"concept {i}")],
            [.. Enumerable.Range(0, (int)attributes.shape[1]).Select(j => $"class {j}")],
            concepts, attributes, weights,
            [.. Enumerable.Range(0, (int)preserved.shape[0]).Select(r => $"preserved {r}")], preserved, lambda, preserveScale);

    private static Tensor Matrix(double[,] values) => tensor(values, ScalarType.Float64);

    private static void AssertClose(double[,] expected, Tensor actual, double tolerance = 1e-12)
    {
        Assert.Equal([expected.GetLength(0), expected.GetLength(1)], actual.shape.Select(d => (int)d));
        var values = actual.to(ScalarType.Float64).data<double>().ToArray();
        for (int i = 0; i < expected.GetLength(0); i++)
            for (int j = 0; j < expected.GetLength(1); j++)
                Assert.True(Math.Abs(expected[i, j] - values[i * expected.GetLength(1) + j]) <= tolerance,
                    $"[{i}, {j}]: expected {expected[i, j]}, got {values[i * expected.GetLength(1) + j]}");
    }

    [Fact]
    public void Closed_form_matches_a_3x3_case_worked_by_hand()
    {
        using var scope = NewDisposeScope();
        // W = [[1,2,0],[0,1,1],[2,0,1]], one concept c = (1,1,0) with target v* = (3,0,1), one preserved c_r = (0,0,2),
        // λ = 1, s_p = 0.5.
        // A = λI + c cᵀ + s_p c_r c_rᵀ = I + [[1,1,0],[1,1,0],[0,0,0]] + 0.5·diag(0,0,4) = [[2,1,0],[1,2,0],[0,0,3]],
        //   so A⁻¹ = [[2/3,-1/3,0],[-1/3,2/3,0],[0,0,1/3]] (the 2×2 block's determinant is 3).
        // B = λW + v* cᵀ + s_p (W c_r) c_rᵀ with v* cᵀ = [[3,3,0],[0,0,0],[1,1,0]], W c_r = (0,2,2),
        //   s_p (W c_r) c_rᵀ = 0.5·[[0,0,0],[0,0,4],[0,0,4]] = [[0,0,0],[0,0,2],[0,0,2]]
        //   B = [[1+3, 2+3, 0], [0, 1, 1+2], [2+1, 0+1, 1+2]] = [[4,5,0],[0,1,3],[3,1,3]].
        // W' = B A⁻¹: row 1 (4,5,0) → (8/3−5/3, −4/3+10/3, 0) = (1, 2, 0);
        //             row 2 (0,1,3) → (−1/3, 2/3, 3/3) = (−1/3, 2/3, 1);
        //             row 3 (3,1,3) → (6/3−1/3, −3/3+2/3, 3/3) = (5/3, −1/3, 1).
        var w = Matrix(new double[,] { { 1, 2, 0 }, { 0, 1, 1 }, { 2, 0, 1 } });
        var spec = Spec(Matrix(new double[,] { { 1, 1, 0 } }), zeros(1, 0, 3, ScalarType.Float64), new double[1, 0],
            Matrix(new double[,] { { 0, 0, 2 } }), lambda: 1, preserveScale: 0.5);
        using var edit = new ClosedFormEdit(spec);

        var edited = edit.Apply(w, Matrix(new double[,] { { 3, 0, 1 } }));

        AssertClose(new double[,] { { 1, 2, 0 }, { -1.0 / 3, 2.0 / 3, 1 }, { 5.0 / 3, -1.0 / 3, 1 } }, edited);
        // c_r ⟂ c, so W' c_r = W c_r = (0, 2, 2) exactly.
        AssertClose(new double[,] { { 0 }, { 2 }, { 2 } }, edited.matmul(Matrix(new double[,] { { 0 }, { 0 }, { 2 } })));
    }

    [Fact]
    public void Mist_targets_match_hand_values()
    {
        using var scope = NewDisposeScope();
        // W = diag(3, 4).
        // Concept 1: c = (1,1), W c = (3,4), ‖W c‖ = 5; a_11 = (1,0) → W a = (3,0) → unit (1,0); a_12 = (0,1) → (0,4) → (0,1);
        //   w = (0.2, −0.1): v* = (3,4) + 0.2·5·(1,0) − 0.1·5·(0,1) = (4, 3.5).
        // Concept 2: c = (2,0), W c = (6,0), ‖W c‖ = 6; a_21 = (0,−1) → (0,−4) → (0,−1); a_22 = (1,1) → (3,4) → (0.6,0.8);
        //   w = (0.5, 1): v* = (6,0) + 0.5·6·(0,−1) + 1·6·(0.6,0.8) = (9.6, 1.8).
        var w = Matrix(new double[,] { { 3, 0 }, { 0, 4 } });
        var attributes = tensor(new double[] { 1, 0, 0, 1, 0, -1, 1, 1 }, [2, 2, 2], ScalarType.Float64);
        var spec = Spec(Matrix(new double[,] { { 1, 1 }, { 2, 0 } }), attributes, new double[,] { { 0.2, -0.1 }, { 0.5, 1 } }, zeros(0, 2, ScalarType.Float64));
        using var edit = new ClosedFormEdit(spec);

        AssertClose(new double[,] { { 4, 3.5 }, { 9.6, 1.8 } }, edit.Targets(w));
    }

    [Fact]
    public void Preserved_concept_orthogonal_to_the_edited_ones_keeps_its_output()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        var w = randn([5, 6], ScalarType.Float64, generator: generator);
        var concepts = randn([2, 6], ScalarType.Float64, generator: generator);
        // c_r: a random vector minus its projection on the concepts' span.
        var r = randn([6], ScalarType.Float64, generator: generator);
        var q = linalg.qr(concepts.t()).Q; // (6, 2), orthonormal basis of the span
        var preserved = r.sub(q.matmul(q.t().matmul(r))).unsqueeze(0);
        var spec = Spec(concepts, randn([2, 3, 6], ScalarType.Float64, generator: generator), new double[,] { { 0.3, -0.2, 0.1 }, { -0.4, 0.5, 0.2 } }, preserved);
        using var edit = new ClosedFormEdit(spec);

        var edited = edit.Edit(w);

        Assert.True(edited.sub(w).norm().item<double>() > 0.1); // the edit did move W
        var kept = edited.matmul(preserved.t()).sub(w.matmul(preserved.t())).abs().max().item<double>();
        Assert.True(kept < 1e-9, $"W' c_r − W c_r = {kept}");
    }

    [Fact]
    public void Zero_weights_without_preserved_concepts_leave_W_unchanged()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(11);
        var w = randn([4, 8], ScalarType.Float64, generator: generator);
        var spec = Spec(randn([3, 8], ScalarType.Float64, generator: generator), randn([3, 2, 8], ScalarType.Float64, generator: generator),
            new double[3, 2], zeros(0, 8, ScalarType.Float64));
        using var edit = new ClosedFormEdit(spec);

        var difference = edit.Edit(w).sub(w).abs().max().item<double>();

        Assert.True(difference < 1e-9, $"max |W' − W| = {difference}");
    }

    [Fact]
    public void Singular_system_with_lambda_zero_suggests_a_larger_lambda()
    {
        using var scope = NewDisposeScope();
        // λ = 0 with 2 concepts in 4 dimensions: A = Σ c cᵀ has rank 2.
        var spec = Spec(randn([2, 4], ScalarType.Float64), randn([2, 1, 4], ScalarType.Float64), new double[2, 1], zeros(0, 4), lambda: 0);

        var e = Assert.Throws<FairscopeException>(() => new ClosedFormEdit(spec));

        Assert.Contains("singular or ill-conditioned", e.Message);
        Assert.Contains("use a larger --lambda", e.Message);
    }

    [Fact]
    public void Lambda_zero_with_enough_concepts_is_solvable()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(3);
        var w = randn([2, 3], ScalarType.Float64, generator: generator);
        var spec = Spec(randn([3, 3], ScalarType.Float64, generator: generator), zeros(3, 0, 3), new double[3, 0], zeros(0, 3), lambda: 0);
        using var edit = new ClosedFormEdit(spec);

        // With λ = 0 and as many independent concepts as dimensions, W' c_i = v*_i exactly; here v*_i = W c_i.
        Assert.True(edit.Edit(w).sub(w).abs().max().item<double>() < 1e-9);
    }

    [Theory]
    [InlineData("lambda", "lambda is -1")]
    [InlineData("scale", "preserve scale is NaN")]
    [InlineData("weights", "Weights is 1 × 2; it must be concepts 2 × classes 1")]
    [InlineData("prompts", "1 concept prompts but 2 concept embeddings")]
    [InlineData("attributes", "AttributeEmbeddings has shape [2, 1, 5]")]
    [InlineData("preserved", "PreservedEmbeddings has shape [1, 3]")]
    [InlineData("nan", "ConceptEmbeddings holds a non-finite value")]
    public void Inconsistent_spec_is_one_clear_error(string fault, string expected)
    {
        using var scope = NewDisposeScope();
        var concepts = ones(2, 4);
        var spec = Spec(concepts, ones(2, 1, 4), new double[2, 1], zeros(0, 4));
        spec = fault switch
        {
            "lambda" => spec with { Lambda = -1 },
            "scale" => spec with { PreserveScale = double.NaN },
            "weights" => spec with { Weights = new double[1, 2] },
            "prompts" => spec with { Concepts = ["one"] },
            "attributes" => spec with { AttributeEmbeddings = ones(2, 1, 5) },
            "preserved" => spec with { PreservedEmbeddings = ones(1, 3) },
            "nan" => spec with { ConceptEmbeddings = tensor(new[] { 1f, float.NaN, 0, 0, 1, 1, 1, 1 }, [2, 4]) },
            _ => throw new ArgumentOutOfRangeException(nameof(fault)),
        };

        var e = Assert.Throws<FairscopeException>(spec.Validate);

        Assert.StartsWith("cross-attention edit: ", e.Message);
        Assert.Contains(expected, e.Message);
    }
}

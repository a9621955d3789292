using static TorchSharp.torch;

namespace Fairscope.Tests;

/// <summary>
/// CLIP's text encoder written independently of <see cref="ClipTextModel"/> and of TorchSharp's layers: random weights
/// under Hugging Face's names (Linear weights (out, in), <c>y = W·x + b</c>), written with <see cref="SafetensorsWriter"/>,
/// read back with <see cref="SafetensorsReader"/> and run in plain loops over doubles: embeddings, pre-LN layers with
/// causal multi-head attention scaled by 1/√hs and a quick-GELU MLP, and the final LayerNorm.
/// </summary>
internal sealed class NaiveClipText
{
    private readonly Dictionary<string, float[]> _weights;

    private NaiveClipText(ClipTextConfig config, Dictionary<string, float[]> weights) => (Config, _weights) = (config, weights);

    public ClipTextConfig Config { get; }

    /// <summary>Random weights for <paramref name="config"/> under transformers' names, each with <paramref name="prefix"/>
    /// before <c>text_model.</c> (the caller's dispose scope owns them).</summary>
    public static Dictionary<string, Tensor> RandomWeights(ClipTextConfig config, int seed, string prefix = "")
    {
        var random = new Random(seed);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        void Add(string name, long[] shape, float offset = 0)
        {
            var data = new float[shape.Aggregate(1L, (n, d) => n * d)];
            for (int i = 0; i < data.Length; i++) data[i] = offset + (float)(random.NextDouble() * 2 - 1) * 0.5f;
            tensors[prefix + "text_model." + name] = tensor(data).reshape(shape);
        }
        long C = config.Width, I = config.IntermediateSize;
        Add("embeddings.token_embedding.weight", [config.VocabSize, C]);
        Add("embeddings.position_embedding.weight", [config.MaxPositions, C]);
        for (int l = 0; l < config.Layers; l++)
        {
            string p = $"encoder.layers.{l}.";
            foreach (var projection in new[] { "q_proj", "k_proj", "v_proj", "out_proj" })
            {
                Add($"{p}self_attn.{projection}.weight", [C, C]);
                Add($"{p}self_attn.{projection}.bias", [C]);
            }
            foreach (var norm in new[] { "layer_norm1", "layer_norm2" })
            {
                Add($"{p}{norm}.weight", [C], offset: 1);
                Add($"{p}{norm}.bias", [C]);
            }
            Add($"{p}mlp.fc1.weight", [I, C]);
            Add($"{p}mlp.fc1.bias", [I]);
            Add($"{p}mlp.fc2.weight", [C, I]);
            Add($"{p}mlp.fc2.bias", [C]);
        }
        Add("final_layer_norm.weight", [C], offset: 1);
        Add("final_layer_norm.bias", [C]);
        return tensors;
    }

    /// <summary>Reads the tensors under <paramref name="prefix"/><c>text_model.</c> from <paramref name="path"/>.</summary>
    public static NaiveClipText Read(string path, ClipTextConfig config, string prefix = "")
    {
        using var reader = SafetensorsReader.Open(path);
        var weights = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var name in reader.Header.Names.Where(n => n.StartsWith(prefix + "text_model.", StringComparison.Ordinal)))
        {
            using var loaded = reader.Load(name);
            weights[name[(prefix + "text_model.").Length..]] = loaded.data<float>().ToArray();
        }
        return new NaiveClipText(config, weights);
    }

    /// <summary>The last hidden state [position][channel] for <paramref name="tokens"/>.</summary>
    public double[][] Hidden(IReadOnlyList<int> tokens)
    {
        int n = tokens.Count, C = Config.Width, heads = Config.Heads, hs = C / heads;
        var token = _weights["embeddings.token_embedding.weight"];
        var position = _weights["embeddings.position_embedding.weight"];
        var x = new double[n][];
        for (int t = 0; t < n; t++)
        {
            x[t] = new double[C];
            for (int c = 0; c < C; c++) x[t][c] = token[tokens[t] * C + c] + position[t * C + c];
        }
        for (int l = 0; l < Config.Layers; l++)
        {
            string p = $"encoder.layers.{l}.";
            var normed = x.Select(row => LayerNorm(row, p + "layer_norm1")).ToArray();
            var q = normed.Select(row => Linear(row, p + "self_attn.q_proj")).ToArray();
            var k = normed.Select(row => Linear(row, p + "self_attn.k_proj")).ToArray();
            var v = normed.Select(row => Linear(row, p + "self_attn.v_proj")).ToArray();
            for (int t = 0; t < n; t++)
            {
                var attended = new double[C];
                for (int head = 0; head < heads; head++)
                {
                    int offset = head * hs;
                    var scores = new double[t + 1]; // causal: keys 0..t
                    for (int s = 0; s <= t; s++)
                    {
                        for (int d = 0; d < hs; d++) scores[s] += q[t][offset + d] * k[s][offset + d];
                        scores[s] /= Math.Sqrt(hs);
                    }
                    double max = scores.Max(), sum = scores.Sum(s => Math.Exp(s - max));
                    for (int s = 0; s <= t; s++)
                    {
                        double weight = Math.Exp(scores[s] - max) / sum;
                        for (int d = 0; d < hs; d++) attended[offset + d] += weight * v[s][offset + d];
                    }
                }
                var projected = Linear(attended, p + "self_attn.out_proj");
                for (int c = 0; c < C; c++) x[t][c] += projected[c];
            }
            for (int t = 0; t < n; t++)
            {
                var hidden = Linear(LayerNorm(x[t], p + "layer_norm2"), p + "mlp.fc1").Select(h => h / (1 + Math.Exp(-1.702 * h))).ToArray();
                var mlp = Linear(hidden, p + "mlp.fc2");
                for (int c = 0; c < C; c++) x[t][c] += mlp[c];
            }
        }
        return x.Select(row => LayerNorm(row, "final_layer_norm")).ToArray();
    }

    private double[] LayerNorm(double[] x, string name)
    {
        var (gain, bias) = (_weights[name + ".weight"], _weights[name + ".bias"]);
        double mean = x.Average();
        double variance = x.Select(v => (v - mean) * (v - mean)).Average(); // biased, as PyTorch
        double scale = 1 / Math.Sqrt(variance + Config.LayerNormEpsilon);
        return x.Select((v, i) => (v - mean) * scale * gain[i] + bias[i]).ToArray();
    }

    // y = W·x + b with W stored (out, in), as torch.nn.Linear.
    private double[] Linear(double[] x, string name)
    {
        var (weight, bias) = (_weights[name + ".weight"], _weights[name + ".bias"]);
        var y = new double[bias.Length];
        for (int o = 0; o < y.Length; o++)
        {
            double sum = bias[o];
            for (int i = 0; i < x.Length; i++) sum += weight[o * x.Length + i] * x[i];
            y[o] = sum;
        }
        return y;
    }
}

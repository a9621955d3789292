using static TorchSharp.torch;

namespace Fairscope.Tests;

/// <summary>
/// A GPT-2 written independently of <see cref="Gpt"/> and of TorchSharp: random weights kept as float arrays under
/// Hugging Face's names and layouts (Conv1D weights (in, out), <c>y = x·W + b</c>), and a forward pass in plain loops
/// over doubles: layer norm, causal multi-head attention, GELU (tanh approximation), MLP and the tied head. The tests
/// write these weights with <see cref="SafetensorsWriter"/> and compare <see cref="Gpt"/>'s output with <see cref="Logits"/>.
/// </summary>
internal sealed class NaiveGpt
{
    public NaiveGpt(int vocab, int context, int layers, int heads, int width, int seed, float scale = 0.5f)
    {
        (Vocab, Context, Layers, Heads, Width) = (vocab, context, layers, heads, width);
        var random = new Random(seed);
        float Noise() => (float)(random.NextDouble() * 2 - 1) * scale;
        void Add(string name, long[] shape, Func<float> value)
        {
            var data = new float[shape.Aggregate(1L, (n, d) => n * d)];
            for (int i = 0; i < data.Length; i++) data[i] = value();
            Weights[name] = (data, shape);
        }
        int C = width;
        Add("wte.weight", [vocab, C], Noise);
        Add("wpe.weight", [context, C], Noise);
        for (int l = 0; l < layers; l++)
        {
            Add($"h.{l}.ln_1.weight", [C], () => 1 + Noise());
            Add($"h.{l}.ln_1.bias", [C], Noise);
            Add($"h.{l}.attn.c_attn.weight", [C, 3 * C], Noise);
            Add($"h.{l}.attn.c_attn.bias", [3 * C], Noise);
            Add($"h.{l}.attn.c_proj.weight", [C, C], Noise);
            Add($"h.{l}.attn.c_proj.bias", [C], Noise);
            Add($"h.{l}.ln_2.weight", [C], () => 1 + Noise());
            Add($"h.{l}.ln_2.bias", [C], Noise);
            Add($"h.{l}.mlp.c_fc.weight", [C, 4 * C], Noise);
            Add($"h.{l}.mlp.c_fc.bias", [4 * C], Noise);
            Add($"h.{l}.mlp.c_proj.weight", [4 * C, C], Noise);
            Add($"h.{l}.mlp.c_proj.bias", [C], Noise);
        }
        Add("ln_f.weight", [C], () => 1 + Noise());
        Add("ln_f.bias", [C], Noise);
    }

    public int Vocab { get; }
    public int Context { get; }
    public int Layers { get; }
    public int Heads { get; }
    public int Width { get; }

    /// <summary>Hugging Face name → (row-major data, shape).</summary>
    public Dictionary<string, (float[] Data, long[] Shape)> Weights { get; } = new(StringComparer.Ordinal);

    /// <summary>A Hugging Face GPT-2 config.json for these weights.</summary>
    public string ConfigJson() => $$"""
        {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "vocab_size": {{Vocab}}, "n_positions": {{Context}},
         "n_ctx": {{Context}}, "n_layer": {{Layers}}, "n_head": {{Heads}}, "n_embd": {{Width}}, "resid_pdrop": 0.1,
         "embd_pdrop": 0.1, "attn_pdrop": 0.1, "layer_norm_epsilon": 1e-05, "activation_function": "gelu_new"}
        """;

    /// <summary>The weights as tensors (caller's dispose scope), optionally renamed.</summary>
    public Dictionary<string, Tensor> Tensors(Func<string, string>? rename = null) =>
        Weights.ToDictionary(w => rename?.Invoke(w.Key) ?? w.Key, w => tensor(w.Value.Data).reshape(w.Value.Shape));

    /// <summary>Writes config.json and model.safetensors to <paramref name="directory"/>; <paramref name="edit"/> may
    /// change the tensors first.</summary>
    public string Write(string directory, Action<Dictionary<string, Tensor>>? edit = null)
    {
        Directory.CreateDirectory(directory);
        using var scope = NewDisposeScope();
        var tensors = Tensors();
        edit?.Invoke(tensors);
        SafetensorsWriter.Write(Path.Combine(directory, "model.safetensors"), tensors);
        File.WriteAllText(Path.Combine(directory, "config.json"), ConfigJson());
        return directory;
    }

    /// <summary>Next-token logits [position][token] for <paramref name="tokens"/>.</summary>
    public double[][] Logits(IReadOnlyList<int> tokens)
    {
        int n = tokens.Count, C = Width, hs = Width / Heads;
        var wte = Weights["wte.weight"].Data;
        var wpe = Weights["wpe.weight"].Data;
        var x = new double[n][];
        for (int t = 0; t < n; t++)
        {
            x[t] = new double[C];
            for (int c = 0; c < C; c++) x[t][c] = wte[tokens[t] * C + c] + wpe[t * C + c];
        }
        for (int l = 0; l < Layers; l++)
        {
            string p = $"h.{l}.";
            var qkv = x.Select(row => Conv1D(LayerNorm(row, p + "ln_1"), p + "attn.c_attn")).ToArray(); // [t][3C]
            var attended = new double[n][];
            for (int t = 0; t < n; t++)
            {
                attended[t] = new double[C];
                for (int head = 0; head < Heads; head++)
                {
                    int offset = head * hs;
                    var scores = new double[t + 1]; // causal: keys 0..t only
                    for (int s = 0; s <= t; s++)
                    {
                        double dot = 0;
                        for (int d = 0; d < hs; d++) dot += qkv[t][offset + d] * qkv[s][C + offset + d];
                        scores[s] = dot / Math.Sqrt(hs);
                    }
                    var weights = Softmax(scores);
                    for (int s = 0; s <= t; s++)
                        for (int d = 0; d < hs; d++) attended[t][offset + d] += weights[s] * qkv[s][2 * C + offset + d];
                }
            }
            for (int t = 0; t < n; t++)
            {
                var projected = Conv1D(attended[t], p + "attn.c_proj");
                for (int c = 0; c < C; c++) x[t][c] += projected[c];
                var hidden = Conv1D(LayerNorm(x[t], p + "ln_2"), p + "mlp.c_fc").Select(Gelu).ToArray();
                var mlp = Conv1D(hidden, p + "mlp.c_proj");
                for (int c = 0; c < C; c++) x[t][c] += mlp[c];
            }
        }
        var logits = new double[n][];
        for (int t = 0; t < n; t++)
        {
            var final = LayerNorm(x[t], "ln_f");
            logits[t] = new double[Vocab];
            for (int v = 0; v < Vocab; v++)
                for (int c = 0; c < C; c++) logits[t][v] += final[c] * wte[v * C + c]; // tied head
        }
        return logits;
    }

    public static double[] Softmax(double[] values)
    {
        double max = values.Max();
        var exp = values.Select(v => Math.Exp(v - max)).ToArray();
        double sum = exp.Sum();
        return exp.Select(e => e / sum).ToArray();
    }

    public static double[] LogSoftmax(double[] values)
    {
        double max = values.Max();
        double logSum = max + Math.Log(values.Sum(v => Math.Exp(v - max)));
        return values.Select(v => v - logSum).ToArray();
    }

    private double[] LayerNorm(double[] x, string name)
    {
        var (gain, bias) = (Weights[name + ".weight"].Data, Weights[name + ".bias"].Data);
        double mean = x.Average();
        double variance = x.Select(v => (v - mean) * (v - mean)).Average(); // biased, as PyTorch
        double scale = 1 / Math.Sqrt(variance + 1e-5);
        return x.Select((v, i) => (v - mean) * scale * gain[i] + bias[i]).ToArray();
    }

    // Hugging Face Conv1D: weight (in, out), y = x·W + b.
    private double[] Conv1D(double[] x, string name)
    {
        var (weight, shape) = Weights[name + ".weight"];
        var bias = Weights[name + ".bias"].Data;
        int inputs = (int)shape[0], outputs = (int)shape[1];
        var y = new double[outputs];
        for (int o = 0; o < outputs; o++)
        {
            double sum = bias[o];
            for (int i = 0; i < inputs; i++) sum += x[i] * weight[i * outputs + o];
            y[o] = sum;
        }
        return y;
    }

    private static double Gelu(double x) => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
}

using System.Security.Cryptography;
using System.Text.Json;
using static TorchSharp.torch;

namespace Fairscope.Tests;

/// <summary><see cref="CrossAttentionEditor"/> on a small hand-built checkpoint mixing dtypes (F32, F16, BF16, I64,
/// BOOL, U16, FP8) and both naming schemes: unedited tensors byte-identical, edited ones equal to the closed form within
/// their dtype's rounding, the edit recorded in the metadata, a dry run that writes nothing, and bad inputs that fail
/// cleanly leaving the input untouched and no output.</summary>
public sealed class CrossAttentionEditorTests : IDisposable
{
    private const int Width = 4;
    private const string Diffusers = "down_blocks.0.attentions.0.transformer_blocks.0";
    private const string Input = "model.diffusion_model.input_blocks.1.1.transformer_blocks.0";
    private const string Middle = "model.diffusion_model.middle_block.1.transformer_blocks.0";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private sealed class Collect<T> : IProgress<T>
    {
        public List<T> Items { get; } = [];

        public void Report(T value) => Items.Add(value);
    }

    /// <summary>The test checkpoint's tensors in data order: three layers (the last with its value before its key) among
    /// unrelated tensors of every kind.</summary>
    private static List<RawTensor> Tensors(string keyDType = "BF16")
    {
        var random = new Random(5);
        var positions = new byte[8 * 5];
        for (int i = 0; i < 5; i++) BitConverter.GetBytes((long)i).CopyTo(positions, 8 * i);
        var key = CrossAttentionFiles.Random($"{Middle}.attn2.to_k.weight", SafetensorsDType.BF16, [2, Width], random);
        return
        [
            new RawTensor("text_model.embeddings.position_ids", "I64", [1, 5], positions),
            CrossAttentionFiles.Random("conv_in.weight", SafetensorsDType.F32, [2, 3], random),
            CrossAttentionFiles.Random($"{Diffusers}.attn2.to_k.weight", SafetensorsDType.F32, [3, Width], random),
            CrossAttentionFiles.Random($"{Diffusers}.attn2.to_out.0.weight", SafetensorsDType.F16, [3, 3], random),
            CrossAttentionFiles.Random($"{Diffusers}.attn2.to_q.weight", SafetensorsDType.F32, [3, 3], random),
            CrossAttentionFiles.Random($"{Diffusers}.attn2.to_v.weight", SafetensorsDType.F32, [3, Width], random),
            CrossAttentionFiles.Bytes("flags", "BOOL", [3], 1, random),
            CrossAttentionFiles.Random($"{Input}.attn2.to_k.weight", SafetensorsDType.F16, [5, Width], random),
            CrossAttentionFiles.Random($"{Input}.attn2.to_v.weight", SafetensorsDType.F16, [5, Width], random),
            CrossAttentionFiles.Random("time_embedding.linear_1.weight", SafetensorsDType.BF16, [3, 2], random),
            CrossAttentionFiles.Bytes("scale", "F8_E4M3", [2], 1, random),
            CrossAttentionFiles.Random($"{Middle}.attn2.to_v.weight", SafetensorsDType.BF16, [2, Width], random),
            CrossAttentionFiles.Bytes("counts", "U16", [2], 2, random),
            key with { DType = keyDType, Data = keyDType == "I8" ? key.Data[..(2 * Width)] : key.Data },
        ];
    }

    private string Checkpoint(List<RawTensor>? tensors = null, string name = "unet.safetensors")
    {
        var path = _folder.Sub(name);
        CrossAttentionFiles.Write(path, tensors ?? Tensors(), new Dictionary<string, string> { ["format"] = "pt" });
        return path;
    }

    /// <summary>Two concepts, three classes, one preserved concept, MIST's λ and s_p; seeded unit-length embeddings.</summary>
    private static CrossAttentionEditSpec Spec(int width = Width, double lambda = CrossAttentionEditSpec.DefaultLambda)
    {
        var generator = new Generator(9);
        Tensor Unit(params long[] shape) => nn.functional.normalize(randn(shape, ScalarType.Float64, generator: generator), dim: -1);
        return new CrossAttentionEditSpec(["a person of doctor", "a person of nurse"], ["young woman", "old man", "young man"],
            Unit(2, width), Unit(2, 3, width), new double[,] { { 0.3, -0.2, 0.1 }, { -0.1, 0.4, 0.05 } },
            [""], Unit(1, width), lambda);
    }

    private static byte[] Data(string path, SafetensorsHeader header, SafetensorsEntry entry)
    {
        using var stream = File.OpenRead(path);
        stream.Position = header.DataStart + entry.Begin;
        var bytes = new byte[entry.End - entry.Begin];
        stream.ReadExactly(bytes);
        return bytes;
    }

    // Half a unit in the last place of the dtype at |x|, with its smallest subnormal spacing as a floor.
    private static double HalfUlp(SafetensorsDType dtype, double x) => dtype switch
    {
        SafetensorsDType.F32 => Math.Max(Math.Abs(x) * Math.Pow(2, -24), Math.Pow(2, -150)),
        SafetensorsDType.F16 => Math.Max(Math.Abs(x) * Math.Pow(2, -11), Math.Pow(2, -25)),
        SafetensorsDType.BF16 => Math.Max(Math.Abs(x) * Math.Pow(2, -8), Math.Pow(2, -134)),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    [Fact]
    public void Edit_copies_every_other_tensor_byte_for_byte_and_writes_the_closed_form()
    {
        using var scope = NewDisposeScope();
        var input = Checkpoint();
        var output = _folder.Sub("edited.safetensors");
        var spec = Spec();
        var progress = new Collect<CrossAttentionEditProgress>();

        var result = CrossAttentionEditor.Edit(input, output, spec, progress: progress);

        // Same names, dtypes, shapes and data order; nothing else left in the folder.
        var before = SafetensorsHeader.Read(input);
        var after = SafetensorsHeader.Read(output);
        Assert.Equal(before.Tensors.Select(t => (t.Name, t.DType, string.Join(",", t.Shape))), after.Tensors.Select(t => (t.Name, t.DType, string.Join(",", t.Shape))));
        Assert.Equal(0, after.DataStart % 8);
        Assert.Equal(new[] { input, output }.Order(), Directory.GetFiles(_folder.Path).Order());
        Assert.Equal(output, result.Output);
        Assert.Equal(("custom (3 layers, width 4)", Width), (result.Architecture, result.TextWidth));
        Assert.Equal([Diffusers, Input, Middle], result.Layers.Select(l => l.Prefix));
        Assert.Equal([1, 2, 3], progress.Items.Select(p => p.Done));
        Assert.All(progress.Items, p => Assert.Equal(3, p.Total));
        Assert.Equal(result.Layers.OrderBy(l => l.Prefix), progress.Items.Select(p => p.Layer).OrderBy(l => l.Prefix));

        var edited = result.Layers.SelectMany(l => new[] { l.Key, l.Value }).ToDictionary(c => c.Tensor);
        Assert.Equal(6, edited.Count);
        using var reader = SafetensorsReader.Open(input);
        using var closedForm = new ClosedFormEdit(spec);
        foreach (var entry in before.Tensors)
        {
            var stored = Data(output, after, after.Find(entry.Name)!);
            if (!edited.TryGetValue(entry.Name, out var change))
            {
                Assert.Equal(Data(input, before, entry), stored);
                continue;
            }
            var weight = reader.Load(entry, ScalarType.Float64);
            var expected = closedForm.Edit(weight).data<double>().ToArray();
            int size = SafetensorsEntry.ElementSize(entry.DType);
            for (int i = 0; i < expected.Length; i++)
            {
                double value = SafetensorsEntry.Read(entry.DType, stored.AsSpan(size * i));
                Assert.True(Math.Abs(value - expected[i]) <= HalfUlp(entry.DType, expected[i]), $"{entry.Name}[{i}]: stored {value}, closed form {expected[i]}");
            }
            double norm = weight.norm().item<double>(), moved = tensor(expected, weight.shape).sub(weight).norm().item<double>();
            Assert.Equal(moved, change.Change, 1e-12);
            Assert.Equal(moved / norm, change.RelativeChange, 1e-12);
            Assert.True(change.RelativeChange > 1e-3, $"{entry.Name} barely moved ({change.RelativeChange})");
        }

        Assert.Equal("pt", after.Metadata["format"]);
        using var record = JsonDocument.Parse(after.Metadata[CrossAttentionEditor.MetadataKey]);
        var root = record.RootElement;
        Assert.Contains("MIST", root.GetProperty("method").GetString());
        Assert.Equal(0.5, root.GetProperty("lambda").GetDouble());
        Assert.Equal(0.2, root.GetProperty("preserve_scale").GetDouble());
        Assert.Equal(["a person of doctor", "a person of nurse"], root.GetProperty("concepts").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["young woman", "old man", "young man"], root.GetProperty("classes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0.4, root.GetProperty("weights")[1][1].GetDouble());
        Assert.Equal([""], root.GetProperty("preserved").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(3, root.GetProperty("layers").GetInt32());
        Assert.Equal("unet.safetensors", root.GetProperty("source").GetString());
        Assert.Equal(FairscopeInfo.Version, root.GetProperty("fairscope").GetString());
    }

    [Fact]
    public void Dry_run_reports_the_same_changes_and_writes_nothing()
    {
        using var scope = NewDisposeScope();
        var input = Checkpoint();
        var output = _folder.Sub("edited.safetensors");
        var real = CrossAttentionEditor.Edit(input, output, Spec());
        File.Delete(output);

        var dry = CrossAttentionEditor.Edit(input, output, Spec(), dryRun: true);

        Assert.Null(dry.Output);
        Assert.Equal(real.Layers, dry.Layers);
        Assert.Equal([input], Directory.GetFiles(_folder.Path));
    }

    [Theory]
    [InlineData("no cross-attention", "has no attn2.to_k/to_v tensors; is it a U-Net or single-file Stable Diffusion checkpoint?")]
    [InlineData("width", "text encoder width 6 but the U-Net's cross-attention expects 4: use the checkpoint's own text encoder")]
    [InlineData("singular", "singular or ill-conditioned")]
    [InlineData("unknown dtype", "has dtype 'F4'; supported: F32, F16, BF16, F64, I64")]
    [InlineData("truncated", "the file is truncated or corrupt")]
    [InlineData("integer weight", $"tensor '{Middle}.attn2.to_k.weight' is I8; only F32, F16, BF16 and F64 weights can be edited")]
    [InlineData("output is input", "the edited checkpoint must go to a new file, not over its input")]
    [InlineData("no directory", "does not exist")]
    public void Bad_input_fails_cleanly_leaving_the_input_and_no_output(string fault, string expected)
    {
        using var scope = NewDisposeScope();
        var tensors = Tensors(fault == "integer weight" ? "I8" : "BF16");
        if (fault == "no cross-attention") tensors.RemoveAll(t => t.Name.Contains("attn2", StringComparison.Ordinal));
        if (fault == "unknown dtype") tensors[1] = tensors[1] with { DType = "F4" };
        var input = Checkpoint(tensors);
        if (fault == "truncated")
        {
            using var stream = new FileStream(input, FileMode.Open);
            stream.SetLength(stream.Length - 10);
        }
        var output = fault switch
        {
            "output is input" => input,
            "no directory" => _folder.Sub("missing/edited.safetensors"),
            _ => _folder.Sub("edited.safetensors"),
        };
        var spec = Spec(width: fault == "width" ? 6 : Width, lambda: fault == "singular" ? 0 : CrossAttentionEditSpec.DefaultLambda);
        var hash = SHA256.HashData(File.ReadAllBytes(input));

        var e = Assert.Throws<FairscopeException>(() => CrossAttentionEditor.Edit(input, output, spec));

        Assert.Contains(expected, e.Message);
        Assert.Equal(hash, SHA256.HashData(File.ReadAllBytes(input)));
        Assert.Equal([input], Directory.GetFileSystemEntries(_folder.Path));
    }
}

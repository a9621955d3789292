using System.Text.Json;

namespace Fairscope.Tests;

/// <summary><see cref="TfjsWeights"/> on small manifests written by the tests, in every value encoding tfjs-core decodes.</summary>
public sealed class TfjsWeightsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fairscope-tfjs-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Writes a one-group manifest of float32 tensors (name, shape, values) and its shard; returns the manifest's path.</summary>
    internal static string WriteFloat32(string folder, string model, params (string Name, int[] Shape, float[] Values)[] tensors)
    {
        var weights = tensors.Select(t => new { name = t.Name, shape = t.Shape, dtype = "float32" });
        File.WriteAllText(Path.Combine(folder, $"{model}-weights_manifest.json"), JsonSerializer.Serialize(new[] { new { paths = new[] { $"{model}.bin" }, weights } }));
        File.WriteAllBytes(Path.Combine(folder, $"{model}.bin"), [.. tensors.SelectMany(t => t.Values.SelectMany(BitConverter.GetBytes))]);
        return Path.Combine(folder, $"{model}-weights_manifest.json");
    }

    private string Manifest(string json)
    {
        var path = Path.Combine(_folder, "m-weights_manifest.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void Decodes_every_encoding_across_shards_and_groups()
    {
        // Group 0: uint8- and uint16-quantised float32 and a float16 tensor, in two shards that split the uint16 one.
        byte[] group0 = [0, 10, 255, .. BitConverter.GetBytes((ushort)1000), .. BitConverter.GetBytes((ushort)2), .. BitConverter.GetBytes(Half.Parse("-1.5")), .. BitConverter.GetBytes((Half)0.25f)];
        File.WriteAllBytes(Path.Combine(_folder, "a.bin"), group0[..4]);
        File.WriteAllBytes(Path.Combine(_folder, "b.bin"), group0[4..]);
        // Group 1: raw float32, int32 and bool, then uint8-quantised int32 (rounded as Math.round: 2.5 → 3, −0.5 → 0).
        byte[] group1 = [.. BitConverter.GetBytes(3.25f), .. BitConverter.GetBytes(-7), 1, 0, 3, 1];
        File.WriteAllBytes(Path.Combine(_folder, "c.bin"), group1);
        var weights = TfjsWeights.Load(Manifest("""
            [{"paths": ["a.bin", "b.bin"], "weights": [
               {"name": "u8", "shape": [3], "dtype": "float32", "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1}},
               {"name": "u16", "shape": [2, 1], "dtype": "float32", "quantization": {"dtype": "uint16", "scale": 0.001, "min": 0}},
               {"name": "f16", "shape": [2], "dtype": "float32", "quantization": {"dtype": "float16"}}]},
             {"paths": ["c.bin"], "weights": [
               {"name": "f32", "shape": [], "dtype": "float32"},
               {"name": "i32", "shape": [1], "dtype": "int32"},
               {"name": "b", "shape": [2], "dtype": "bool"},
               {"name": "qi", "shape": [2], "dtype": "int32", "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1}}]}]
            """));

        Assert.Equal([-1f, 4f, 126.5f], weights.Get("u8", 3).Values);
        Assert.Equal([1f, 0.002f], weights.Get("u16", 2, 1).Values);
        Assert.Equal([-1.5f, 0.25f], weights.Get("f16", 2).Values);
        Assert.Equal([3.25f], weights.Get("f32").Values);
        Assert.Equal([-7f], weights.Get("i32", 1).Values);
        Assert.Equal([1f, 0f], weights.Get("b", 2).Values);
        Assert.Equal([1f, 0f], weights.Get("qi", 2).Values); // 3·0.5 − 1 = 0.5 → 1; 1·0.5 − 1 = −0.5 → 0 (Math.round)
        Assert.Equal(64, weights.Sha256.Length);
    }

    [Fact]
    public void The_hash_changes_with_the_shard()
    {
        var path = WriteFloat32(_folder, "m", ("w", [2], [1f, 2f]));
        var before = TfjsWeights.Load(path).Sha256;
        Assert.Equal(before, TfjsWeights.Load(path).Sha256);
        WriteFloat32(_folder, "m", ("w", [2], [1f, 3f]));
        Assert.NotEqual(before, TfjsWeights.Load(path).Sha256);
    }

    [Fact]
    public void A_missing_shard_is_named()
    {
        var e = Assert.Throws<FairscopeException>(() => TfjsWeights.Load(Manifest("""[{"paths": ["gone.bin"], "weights": [{"name": "w", "shape": [1], "dtype": "float32"}]}]""")));
        Assert.StartsWith(Path.Combine(_folder, "gone.bin") + ":", e.Message);
        Assert.Contains("missing", e.Message);
    }

    [Fact]
    public void A_wrong_byte_count_names_the_manifest_and_both_sizes()
    {
        File.WriteAllBytes(Path.Combine(_folder, "w.bin"), new byte[7]);
        var path = Manifest("""[{"paths": ["w.bin"], "weights": [{"name": "w", "shape": [2], "dtype": "float32"}]}]""");
        var e = Assert.Throws<FairscopeException>(() => TfjsWeights.Load(path));
        Assert.StartsWith(path + ":", e.Message);
        Assert.Contains("hold 7 bytes but the weights listed need 8", e.Message);
    }

    [Theory]
    [InlineData("""{"name": "w", "shape": [1], "dtype": "complex64"}""", "dtype 'complex64'")]
    [InlineData("""{"name": "w", "shape": [1], "dtype": "float32", "quantization": {"dtype": "int4"}}""", "quantization dtype 'int4'")]
    [InlineData("""{"name": "w", "shape": [1], "dtype": "float32", "quantization": {"dtype": "uint8"}}""", "lacks a numeric 'scale' and 'min'")]
    public void An_unsupported_dtype_names_the_weight(string weight, string expected)
    {
        File.WriteAllBytes(Path.Combine(_folder, "w.bin"), new byte[8]);
        var e = Assert.Throws<FairscopeException>(() => TfjsWeights.Load(Manifest($$"""[{"paths": ["w.bin"], "weights": [{{weight}}]}]""")));
        Assert.Contains("weight 'w'", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_missing_name_or_wrong_shape_is_refused_by_get()
    {
        var weights = TfjsWeights.Load(WriteFloat32(_folder, "m", ("w", [2, 1], [1f, 2f])));
        Assert.Contains("no weight called 'x'", Assert.Throws<FairscopeException>(() => weights.Get("x")).Message);
        Assert.Contains("has shape [2,1], expected [2]", Assert.Throws<FairscopeException>(() => weights.Get("w", 2)).Message);
    }

    [Fact]
    public void A_folder_without_the_models_says_how_to_get_them()
    {
        var e = Assert.Throws<FairscopeException>(() => FaceApiModels.Load(_folder));
        Assert.StartsWith(_folder + ":", e.Message);
        Assert.Contains("npm pack @vladmandic/face-api@1.7.15", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}

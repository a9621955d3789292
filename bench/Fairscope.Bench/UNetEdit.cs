using System.Diagnostics;
using System.Runtime.InteropServices;
using Fairscope;
using static TorchSharp.torch;

/// <summary>The MIST cross-attention edit on a checkpoint shaped like Stable Diffusion 1.5's U-Net (diffusers names,
/// 859,520,964 parameters in F16, seeded random values): 8 concepts × 8 attribute classes and 1 preserved concept with
/// random unit 768-d embeddings, all 16 layers' to_k and to_v edited and the other 654 tensors copied. Reports wall time,
/// file size and the process's peak resident memory (VmHWM), which should stay far below the file's size.</summary>
internal static class UNetEdit
{
    private const int TextWidth = 768, Concepts = 8, Classes = 8;

    public static int Run()
    {
        var layout = StableDiffusion15();
        long parameters = layout.Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b));
        Console.WriteLine($"SD 1.5 U-Net layout: {layout.Count} tensors, {parameters:N0} parameters (diffusers: 859,520,964; {100.0 * (parameters - 859_520_964) / 859_520_964:+0.000;-0.000}%)");
        var directory = Directory.CreateTempSubdirectory("fairscope-bench-edit-").FullName;
        try
        {
            string input = Path.Combine(directory, "unet.safetensors"), output = Path.Combine(directory, "unet-edited.safetensors");
            var clock = Stopwatch.StartNew();
            SafetensorsWriter.Write(input, layout, new Dictionary<string, string> { ["format"] = "pt" }, stream => WriteRandomHalves(stream, 2 * parameters));
            Console.WriteLine($"generated {new FileInfo(input).Length / 1e9:0.000} GB of F16 in {clock.Elapsed.TotalSeconds:0.0} s; peak resident so far {PeakResidentMegabytes():0} MB");

            using var scope = NewDisposeScope();
            var generator = new Generator(0);
            Tensor Unit(params long[] shape) => nn.functional.normalize(randn(shape, ScalarType.Float64, generator: generator), dim: -1);
            var random = new Random(0);
            var weights = new double[Concepts, Classes];
            for (int i = 0; i < Concepts; i++)
                for (int j = 0; j < Classes; j++) weights[i, j] = 0.2 * random.NextDouble() - 0.1;
            var spec = new CrossAttentionEditSpec([.. Enumerable.Range(0, Concepts).Select(i => $"concept {i}")], [.. Enumerable.Range(0, Classes).Select(j => $"class {j}")],
                Unit(Concepts, TextWidth), Unit(Concepts, Classes, TextWidth), weights, [""], Unit(1, TextWidth));

            Console.WriteLine($"peak resident before the edit, with libtorch loaded and the embeddings made: {PeakResidentMegabytes():0} MB");
            clock.Restart();
            var result = CrossAttentionEditor.Edit(input, output, spec);
            var seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"edit: {result.Architecture}, {result.Layers.Count} layers, {seconds:0.00} s wall, output {new FileInfo(output).Length / 1e9:0.000} GB, " +
                $"{2 * new FileInfo(input).Length / 1e9 / seconds:0.00} GB/s read+written; mean relative change K {result.Layers.Average(l => l.Key.RelativeChange):0.0000}, V {result.Layers.Average(l => l.Value.RelativeChange):0.0000}");
            Console.WriteLine($"peak resident (VmHWM) {PeakResidentMegabytes():0} MB; torch threads {get_num_threads()}");
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    // Seeded F16 values of magnitude 2⁻⁷ to 2⁻⁵ with random signs: random bits keep the sign, the exponent's lowest bit
    // and the mantissa, with the exponent's other bits fixed, so nothing is infinite or NaN. Written 4 MiB at a time.
    private static void WriteRandomHalves(Stream stream, long bytes)
    {
        var random = new Random(1);
        var buffer = new byte[4 << 20];
        for (long remaining = bytes; remaining > 0;)
        {
            int count = (int)Math.Min(buffer.Length, remaining);
            random.NextBytes(buffer);
            foreach (ref ulong word in MemoryMarshal.Cast<byte, ulong>(buffer.AsSpan()))
                word = (word & 0x87FF_87FF_87FF_87FFUL) | 0x2000_2000_2000_2000UL;
            stream.Write(buffer, 0, count);
            remaining -= count;
        }
    }

    private static double PeakResidentMegabytes() =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0).Single();

    /// <summary>The diffusers UNet2DConditionModel state dict of Stable Diffusion 1.5, sorted by name as safetensors
    /// files store it: block_out_channels 320/640/1280/1280, 2 layers per block, cross-attention (768-d text) in the first
    /// three down blocks, the mid block and the last three up blocks, 1×1-conv projections in and out of each
    /// transformer, GEGLU feed-forward (4× width), 1280-d time embedding.</summary>
    private static List<(string Name, SafetensorsDType DType, IReadOnlyList<long> Shape)> StableDiffusion15()
    {
        var tensors = new List<(string Name, SafetensorsDType DType, IReadOnlyList<long> Shape)>();
        void Add(string name, params long[] shape) => tensors.Add((name, SafetensorsDType.F16, shape));
        void Linear(string name, long outputs, long inputs, bool bias = true)
        {
            Add($"{name}.weight", outputs, inputs);
            if (bias) Add($"{name}.bias", outputs);
        }
        void Conv(string name, long outputs, long inputs, long kernel)
        {
            Add($"{name}.weight", outputs, inputs, kernel, kernel);
            Add($"{name}.bias", outputs);
        }
        void Norm(string name, long channels)
        {
            Add($"{name}.weight", channels);
            Add($"{name}.bias", channels);
        }
        void Resnet(string name, long inputs, long outputs)
        {
            Norm($"{name}.norm1", inputs);
            Conv($"{name}.conv1", outputs, inputs, 3);
            Linear($"{name}.time_emb_proj", outputs, 1280);
            Norm($"{name}.norm2", outputs);
            Conv($"{name}.conv2", outputs, outputs, 3);
            if (inputs != outputs) Conv($"{name}.conv_shortcut", outputs, inputs, 1);
        }
        void Attention(string name, long channels, long context)
        {
            Linear($"{name}.to_q", channels, channels, bias: false);
            Linear($"{name}.to_k", channels, context, bias: false);
            Linear($"{name}.to_v", channels, context, bias: false);
            Linear($"{name}.to_out.0", channels, channels);
        }
        void Transformer(string name, long channels)
        {
            var block = $"{name}.transformer_blocks.0";
            Norm($"{name}.norm", channels);
            Conv($"{name}.proj_in", channels, channels, 1);
            Norm($"{block}.norm1", channels);
            Attention($"{block}.attn1", channels, channels);
            Norm($"{block}.norm2", channels);
            Attention($"{block}.attn2", channels, TextWidth);
            Norm($"{block}.norm3", channels);
            Linear($"{block}.ff.net.0.proj", 8 * channels, channels);
            Linear($"{block}.ff.net.2", channels, 4 * channels);
            Conv($"{name}.proj_out", channels, channels, 1);
        }

        long[] channels = [320, 640, 1280, 1280];
        Conv("conv_in", 320, 4, 3);
        Linear("time_embedding.linear_1", 1280, 320);
        Linear("time_embedding.linear_2", 1280, 1280);
        long previous = 320;
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                Resnet($"down_blocks.{i}.resnets.{j}", j == 0 ? previous : channels[i], channels[i]);
                if (i < 3) Transformer($"down_blocks.{i}.attentions.{j}", channels[i]);
            }
            if (i < 3) Conv($"down_blocks.{i}.downsamplers.0.conv", channels[i], channels[i], 3);
            previous = channels[i];
        }
        Resnet("mid_block.resnets.0", 1280, 1280);
        Transformer("mid_block.attentions.0", 1280);
        Resnet("mid_block.resnets.1", 1280, 1280);
        // Up block i: 3 resnets, each taking the previous output and a skip connection from the matching down block.
        long[] reversed = [.. channels.Reverse()];
        for (int i = 0; i < 4; i++)
        {
            long outputs = reversed[i], skipIn = reversed[Math.Min(i + 1, 3)];
            for (int j = 0; j < 3; j++)
            {
                Resnet($"up_blocks.{i}.resnets.{j}", (j == 0 ? previous : outputs) + (j == 2 ? skipIn : outputs), outputs);
                if (i > 0) Transformer($"up_blocks.{i}.attentions.{j}", outputs);
            }
            if (i < 3) Conv($"up_blocks.{i}.upsamplers.0.conv", outputs, outputs, 3);
            previous = outputs;
        }
        Norm("conv_norm_out", 320);
        Conv("conv_out", 4, 320, 3);
        tensors.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return tensors;
    }
}

using System.Diagnostics;
using Fairscope;
using static TorchSharp.torch;

/// <summary>The built-in diffusion model at the demo's shapes (random weights: speed does not depend on what they say):
/// joint U-Net + text encoder training steps per second, and images drawn per second with the demo's DDIM steps and
/// classifier-free guidance, decoded to pixels.</summary>
internal static class DiffusionBench
{
    public static int Run()
    {
        var settings = DiffusionSettings.Demo();
        var folder = Directory.CreateTempSubdirectory("fairscope-bench-").FullName;
        try
        {
            var captions = PortraitData.Described(new Random(0), 1024, settings.World, settings.GroupCaptionShare);
            ClipVocabulary.Build([.. captions.Select(c => c.Caption)], folder);
            var tokenizer = ClipTokenizer.Load(folder, settings.TextEncoder.MaxPositions);
            using var vae = new VqAutoencoder(settings.Autoencoder, seed: 0);
            using var text = new ClipTextModel(settings.TextEncoder with { VocabSize = tokenizer.VocabularySize }, seed: 0);
            using var unet = new UNet(settings.UNet with { InChannels = vae.Config.CodeDim, SampleSize = vae.Config.Grid, CrossAttentionDim = text.Config.Width }, seed: 0);
            var model = new DiffusionModel(tokenizer, text, unet, vae, new DiffusionPipelineConfig(1, settings.SamplingSteps, settings.GuidanceScale));
            using var pixels = ImageTensors.FromImages([.. captions.Select(c => PortraitWorld.Render(c.Portrait))]);
            using var latents = model.Latents(pixels);
            DiffusionTrainer.Train(model, latents, [.. captions.Select(c => c.Caption)], settings.Training with { Steps = 3 });
            var result = DiffusionTrainer.Train(model, latents, [.. captions.Select(c => c.Caption)], settings.Training with { Steps = 30 });
            long parameters = unet.parameters().Sum(p => p.numel()), textParameters = text.parameters().Sum(p => p.numel());
            Console.WriteLine($"diffusion model: U-Net {parameters:N0} parameters, text encoder {textParameters:N0}, latent {vae.Config.CodeDim}×{vae.Config.Grid}², "
                + $"batch {settings.Training.BatchSize}, torch threads {get_num_threads()}");
            Console.WriteLine($"training: {result.WallTime.TotalMilliseconds / 30:0} ms/step over 30 steps ({settings.Training.Steps} steps ≈ {result.WallTime.TotalSeconds / 30 * settings.Training.Steps:0} s)");
            model.Draw(["a photo of the face of a nurse"], [0]); // warm-up
            var clock = Stopwatch.StartNew();
            var drawn = model.Draw([.. captions.Take(256).Select(c => c.Caption)], [.. Enumerable.Range(0, 256).Select(i => (long)i)]).Length;
            Console.WriteLine($"drawing: {drawn / clock.Elapsed.TotalSeconds:0.0} images/s ({drawn} images, {settings.SamplingSteps} DDIM steps, guidance {settings.GuidanceScale}, decoded to pixels)");
            using var self = Process.GetCurrentProcess();
            Console.WriteLine($"peak working set {self.PeakWorkingSet64 / 1e6:0} MB");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

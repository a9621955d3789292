using static TorchSharp.torch;

namespace Fairscope.Tests;

/// <summary>The built-in diffusion model's parts: the U-Net's layout and initialisation, the noise schedule by hand, saving
/// and loading in the diffusers-like layout, per-seed sampling, and the in-process edit against the checkpoint editor.</summary>
public sealed class DiffusionModelTests
{
    private static readonly UNetConfig Shape = new(InChannels: 4, SampleSize: 8, BlockOutChannels: [16, 32], LayersPerBlock: 1, CrossAttentionDim: 16,
        AttentionHeadDim: 16, NormGroups: 8);

    [Fact]
    public void UNet_has_diffusers_names_finite_weights_and_unit_group_norms()
    {
        using var unet = new UNet(Shape, seed: 1);
        var parameters = unet.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        // 2 down blocks × 1 + the middle block + 2 up blocks × 2 = 7 cross-attention layers, each with a key and a value projection.
        Assert.Equal(7, parameters.Keys.Count(n => n.EndsWith("attn2.to_k.weight", StringComparison.Ordinal)));
        Assert.Equal(14, parameters.Keys.Count(n => CrossAttentionLayers.IsProjection(n)));
        Assert.Equal([16L, 16L], parameters["down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight"].shape);
        Assert.Equal([32L, 16L], parameters["mid_block.attentions.0.transformer_blocks.0.attn2.to_v.weight"].shape);
        Assert.True(parameters.ContainsKey("up_blocks.1.resnets.1.conv_shortcut.weight"));
        Assert.All(parameters.Values, p => Assert.True(p.isfinite().all().item<bool>()));
        // TorchSharp leaves GroupNorm's affine parameters uninitialised; the U-Net sets every norm's to 1 and 0.
        var norms = parameters.Where(p => p.Key.Contains("norm", StringComparison.Ordinal) && p.Key.EndsWith(".weight", StringComparison.Ordinal)).ToList();
        Assert.Equal(2 * 8 + 4 * 7 + 1, norms.Count); // 8 ResNets × 2 GroupNorms, 7 transformers × (3 LayerNorms + 1 GroupNorm), conv_norm_out
        Assert.All(norms, p => Assert.True(p.Value.eq(1).all().item<bool>(), p.Key));
        using var output = unet.forward(randn(2, 4, 8, 8), tensor(new long[] { 0, 999 }), randn(2, 5, 16));
        Assert.Equal([2L, 4L, 8L, 8L], output.shape);
    }

    [Fact]
    public void Noise_schedule_matches_hand_values()
    {
        var schedule = NoiseSchedule.StableDiffusion;
        // ᾱ_0 = 1 − β_0 = 1 − 0.00085
        Assert.Equal(0.99915, schedule.AlphaBar(0), 1e-12);
        // β_1 = (√0.00085 + (√0.012 − √0.00085)/999)² = (0.0291548 + 0.0000804)² = 0.00085470…; ᾱ_1 = 0.99915 · (1 − β_1)
        double beta1 = Math.Pow(Math.Sqrt(0.00085) + (Math.Sqrt(0.012) - Math.Sqrt(0.00085)) / 999, 2);
        Assert.Equal(0.99915 * (1 - beta1), schedule.AlphaBar(1), 1e-12);
        Assert.InRange(beta1, 0.000854, 0.000855);
        // 20 DDIM steps: stride 50, t = 50k + 1 from 951 down to 1
        var steps = NoiseSchedule.DdimTimesteps(20);
        Assert.Equal(20, steps.Length);
        Assert.Equal(951, steps[0]);
        Assert.Equal(1, steps[^1]);
        // Given the true noise, one DDIM step to the end returns the clean latent exactly.
        using var clean = randn(3, 4, 2, 2);
        using var noise = randn(3, 4, 2, 2);
        using var t = full(3, 500L, ScalarType.Int64);
        using var noisy = schedule.AddNoise(clean, noise, t);
        using var recovered = schedule.DdimStep(noisy, noise, 500, -1);
        Assert.True(recovered.allclose(clean, rtol: 0, atol: 1e-4));
    }

    [Fact]
    public void Saved_model_loads_draws_the_same_images_and_each_image_depends_on_its_seed_only()
    {
        using var temp = new TempFolder();
        using var model = Tiny(temp.Sub("tokenizer"));
        model.Save(temp.Sub("model"), temp.Sub("tokenizer"));
        var layers = CrossAttentionLayers.Read(Path.Combine(temp.Sub("model"), DiffusionModel.UNetFolder, DiffusionModel.UNetWeightsFile));
        Assert.Equal(7, layers.Layers.Count);
        Assert.Equal(16, layers.TextWidth);

        using var loaded = DiffusionModel.Load(temp.Sub("model"));
        var prompt = "a photo of the face of a nurse";
        var alone = loaded.Draw([prompt], [7], steps: 3);
        var batch = loaded.Draw(["a photo of the face of a chef", prompt], [3, 7], steps: 3);
        var original = model.Draw([prompt], [7], steps: 3);
        Assert.Equal(alone[0].Pixels, batch[1].Pixels);
        Assert.Equal(alone[0].Pixels, original[0].Pixels);
    }

    [Fact]
    public void In_process_edit_equals_the_checkpoint_editor_and_the_search_restores_the_weights()
    {
        using var temp = new TempFolder();
        using var model = Tiny(temp.Sub("tokenizer"));
        model.Save(temp.Sub("model"), temp.Sub("tokenizer"));
        var prompts = EditPrompts.FromTemplate(DiffusionLab.PromptTemplate, ["nurse", "chef"], ["female", "male"], [""]);
        var weights = new double[,] { { -0.5, 0.5 }, { 0.3, -0.3 } };
        var options = new MistOptions(Iterations: 2, ImagesPerConcept: 2);

        var before = Projections(model);
        // Every image labelled class 0: shares (1, 0) against the target (½, ½) in every round, so the search never converges,
        // and the weights it keeps are those of the first round (all rounds equally far), all zero.
        var search = MistSearch.Run(model, prompts, images => [.. images.Select(_ => 0)], options, seed: 0);
        Assert.Equal(2, search.Rounds.Count);
        Assert.All(search.Rounds, r => Assert.Equal([1.0, 0.0], r.Shares[0]));
        Assert.Equal(0.5, search.Rounds[0].MaxDeviation);
        Assert.False(search.Converged);
        Assert.All(search.Weights, w => Assert.All(w, x => Assert.Equal(0, x)));
        Assert.All(before, p => Assert.True(p.Value.allclose(Projections(model)[p.Key], rtol: 0, atol: 0)));

        MistSearch.Bake(model, prompts, weights, options);
        var unet = Path.Combine(temp.Sub("model"), DiffusionModel.UNetFolder, DiffusionModel.UNetWeightsFile);
        using (var scope = NewDisposeScope())
            CrossAttentionEditor.Edit(unet, temp.Sub("edited.safetensors"), prompts.Embed(model.TextEncoder, model.Tokenizer, weights, options.Lambda, options.PreserveScale));
        using var reader = SafetensorsReader.Open(temp.Sub("edited.safetensors"));
        foreach (var (name, baked) in Projections(model))
        {
            using var written = reader.Load(name);
            Assert.True(written.allclose(baked, rtol: 0, atol: 1e-6), name);
            Assert.False(baked.allclose(before[name], rtol: 0, atol: 0), $"{name} did not change");
        }
    }

    private static Dictionary<string, Tensor> Projections(DiffusionModel model) =>
        model.UNet.named_parameters().Where(p => CrossAttentionLayers.IsProjection(p.name)).ToDictionary(p => p.name, p => p.parameter.detach().clone());

    // A random tiny model over the portrait world's words (nothing trained: shapes and plumbing only).
    internal static DiffusionModel Tiny(string tokenizerDirectory)
    {
        ClipVocabulary.Build([.. PortraitWorld.Occupations.Select(o => PortraitWorld.Caption(o.Name, null)), "female male young"], tokenizerDirectory);
        var tokenizer = ClipTokenizer.Load(tokenizerDirectory, 12);
        var text = new ClipTextModel(new ClipTextConfig(VocabSize: tokenizer.VocabularySize, Width: 16, Layers: 1, Heads: 2, MaxPositions: 12, IntermediateSize: 32), seed: 1);
        var vae = new VqAutoencoder(new VqConfig(ImageSize: PortraitWorld.Size, Grid: 8, CodeDim: 4, CodebookSize: 16, HiddenWidth: 8), seed: 1);
        using (var scope = NewDisposeScope())
            vae.Train(ImageTensors.FromImages([.. PortraitData.Balanced(new Random(1), 1).Take(32).Select(PortraitWorld.Render)]), new VqTrainingConfig(2, BatchSize: 8));
        return new DiffusionModel(tokenizer, text, new UNet(Shape, seed: 1), vae, new DiffusionPipelineConfig(1.0, SamplingSteps: 3));
    }
}

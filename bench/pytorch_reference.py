#!/usr/bin/env python3
"""The built-in GPT's architecture in PyTorch, for the training-speed comparison in docs/benchmarks.md.

Same shapes, optimiser and data as `Fairscope.Bench train small|medium`: pre-LayerNorm GPT-2 blocks, GELU-tanh MLP,
tied head, AdamW (betas 0.9/0.95, weight decay 0.1 on 2-D tensors), gradient clipping 1.0, batch 16 of random
tokens, 5 warm-up steps then 30 timed steps, on the same number of threads.
Run with Debian's PyTorch: apt-get install python3-torch libopenblas0-pthread; /usr/bin/python3 bench/pytorch_reference.py small
"""
import math, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

SIZES = {"small": (512, 64, 2, 4, 128), "medium": (2048, 128, 4, 8, 256)}


class Block(nn.Module):
    def __init__(self, c, heads):
        super().__init__()
        self.heads = heads
        self.ln_1, self.ln_2 = nn.LayerNorm(c), nn.LayerNorm(c)
        self.c_attn, self.c_proj = nn.Linear(c, 3 * c), nn.Linear(c, c)
        self.c_fc, self.mlp_proj = nn.Linear(c, 4 * c), nn.Linear(4 * c, c)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(c, dim=2)
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v))  # (B, nh, T, hs)
        if hasattr(F, "scaled_dot_product_attention"):
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:  # PyTorch < 2.0 (Debian 12 ships 1.13): the same attention, written out
            att = (q @ k.transpose(-2, -1)) / math.sqrt(k.shape[-1])
            att = att.masked_fill(torch.ones(t, t, dtype=torch.bool).triu(1), float("-inf")).softmax(-1)
            y = att @ v
        y = y.transpose(1, 2).contiguous().view(b, t, c)
        x = x + self.c_proj(y)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class Gpt(nn.Module):
    def __init__(self, vocab, context, layers, heads, width):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(vocab, width), nn.Embedding(context, width)
        self.h = nn.ModuleList(Block(width, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(width)

    def forward(self, idx):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        for block in self.h:
            x = block(x)
        return self.ln_f(x) @ self.wte.weight.T  # tied head


def main():
    size = sys.argv[1] if len(sys.argv) > 1 else "small"
    vocab, context, layers, heads, width = SIZES[size]
    torch.manual_seed(0)
    torch.set_num_threads(int(sys.argv[2]) if len(sys.argv) > 2 else 2)
    model = Gpt(vocab, context, layers, heads, width)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    rest = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": rest, "weight_decay": 0.0}], lr=1e-3, betas=(0.9, 0.95))
    data = torch.randint(0, vocab, (256, context + 1))

    def step():
        batch = data[torch.randint(0, 256, (16,))]
        logits = model(batch[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, vocab), batch[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    for _ in range(5):
        step()
    start = time.perf_counter()
    for _ in range(30):
        step()
    seconds = time.perf_counter() - start
    print(f"pytorch {torch.__version__} size {size}: {30 * 16 * context / seconds:,.0f} tokens/s over 30 steps ({seconds:.2f} s), threads {torch.get_num_threads()}")


if __name__ == "__main__":
    main()

"""The reference's MSM loop (MuSc compute_scores_fast, as docs/method.md §6 describes it) in PyTorch on
the CPU, timed on random unit features, for comparison with MuScope's engine in the same run.
Prints one JSON line. Needs python3 with torch (Debian: apt-get install python3-torch)."""
import argparse, json, os, time
import torch

# ATen may start with one thread (Debian's build does here); the engine it is compared with uses every core.
torch.set_num_threads(os.cpu_count() or 1)

p = argparse.ArgumentParser()
p.add_argument('--images', type=int, required=True)
p.add_argument('--grid', type=int, required=True)
p.add_argument('--dim', type=int, required=True)
p.add_argument('--repeats', type=int, default=2)
a = p.parse_args()
N, P, D = a.images, a.grid * a.grid, a.dim
torch.manual_seed(42)
Z = torch.nn.functional.normalize(torch.randn(N, P, D), dim=-1)
k = int(0.3 * (N - 1))

def msm(Z):
    scores = torch.empty(N, P)
    for i in range(N):
        ref = torch.cat([Z[:i], Z[i + 1:]], 0).reshape(-1, D)          # (N-1)·P × D
        dist = torch.cdist(Z[i], ref).reshape(P, N - 1, P).min(-1).values  # P × (N-1)
        scores[i] = torch.topk(dist, k, dim=-1, largest=False).values.mean(-1)
    return scores

best = float('inf')
for _ in range(a.repeats):
    t0 = time.perf_counter(); msm(Z); best = min(best, time.perf_counter() - t0)
flops = 2 * N * (N - 1) * P * P * D
print(json.dumps({'case': 'msm', 'backend': 'pytorch-reference', 'images': N, 'grid': a.grid, 'dim': D, 'ms': round(best * 1000),
                  'gflops_effective': round(flops / best / 1e9, 2), 'torch': torch.__version__, 'threads': torch.get_num_threads()}))

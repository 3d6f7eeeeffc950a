#!/usr/bin/env python3
"""The analysts' batch job in pandas + PyTorch, for the `ttm predict --all` whole-process comparison.

granite-tsfm cannot be installed here (no internet; it is not a Debian package), so this is our own
PyTorch transcription of TinyTimeMixerForPrediction's eval forward for the configurations ttm trains
(docs in ../shared/docs/ttm-architecture.md: std/mean/no scaler, end-aligned patches, plain
mixer blocks, gating, LayerNorm, common_channel or mix_channel decoder, static categoricals; no
adaptive patching, prefix token, positional encoding or forecast channel mixer). `--check DIR`
compares it with a reference fixture (the real granite-tsfm's outputs) before it is trusted.

    python3 bench/pytorch_predict.py --check tests/fixtures/ttm/seed-config
    python3 bench/pytorch_predict.py MODEL_DIR DATA_CSV OUT_CSV [--threads 2]
    python3 bench/pytorch_predict.py --train-step tests/fixtures/ttm/seed-config   (ms per step, b64)

The job: read the weekly CSV with pandas, take each series' last `context_length` weeks (zeros and
mask 0 before its first week, as ttm does), the UF index from the model's preprocessor.json, one
batched forward of every series, forecasts clipped at 0 written as CSV (date, produto_cat, uf_cat,
channels). ttm predict also blends with a robust level and adds conformal intervals, which this
script leaves out: the comparison slightly favours this script.
"""
import json
import math
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F


def read_safetensors(path):
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        blob = f.read()
    out = {}
    dtypes = {'F32': np.float32, 'F64': np.float64, 'I64': np.int64, 'I32': np.int32}
    for k, v in header.items():
        if k == '__metadata__':
            continue
        a, b = v['data_offsets']
        out[k] = torch.from_numpy(np.frombuffer(blob[a:b], dtype=dtypes[v['dtype']]).reshape(v['shape']).copy())
    return out


class Ttm:
    def __init__(self, cfg, w):
        for key, unsupported in [('adaptive_patching_levels', 0), ('decoder_adaptive_patching_levels', 0)]:
            if cfg.get(key, 0) != unsupported:
                raise SystemExit(f'{key} != {unsupported} is not transcribed here')
        for key in ['resolution_prefix_tuning', 'use_positional_encoding', 'enable_forecast_channel_mixing', 'self_attn', 'decoder_raw_residual']:
            if cfg.get(key):
                raise SystemExit(f'{key} is not transcribed here')
        if cfg.get('norm_mlp', 'LayerNorm') != 'LayerNorm':
            raise SystemExit('only LayerNorm is transcribed here')
        self.cfg = cfg
        self.w = w
        self.eps = cfg.get('norm_eps', 1e-5)
        self.gated = cfg.get('gated_attn', True)

    def lin(self, x, name):
        return F.linear(x, self.w[name + '.weight'], self.w.get(name + '.bias'))

    def norm(self, x, name):
        return F.layer_norm(x, x.shape[-1:], self.w[name + '.norm.norm.weight'], self.w[name + '.norm.norm.bias'], self.eps)

    def mlp(self, x, name):
        return self.lin(F.gelu(self.lin(x, name + '.mlp.fc1')), name + '.mlp.fc2')

    def gate(self, x, name):
        return x * torch.softmax(self.lin(x, name + '.gating_block.attn_layer'), dim=-1) if self.gated else x

    def layer(self, h, name, mix_channel):
        if mix_channel:  # channel mixer: norm, channels last, gate then MLP
            z = self.norm(h, name + '.channel_feature_mixer').permute(0, 3, 2, 1)
            z = self.mlp(self.gate(z, name + '.channel_feature_mixer'), name + '.channel_feature_mixer')
            h = z.permute(0, 3, 2, 1) + h
        if h.shape[2] > 1:  # patch mixer: norm, patches last, MLP then gate
            z = self.norm(h, name + '.patch_mixer').transpose(2, 3)
            z = self.gate(self.mlp(z, name + '.patch_mixer'), name + '.patch_mixer')
            h = z.transpose(2, 3) + h
        z = self.gate(self.mlp(self.norm(h, name + '.feature_mixer'), name + '.feature_mixer'), name + '.feature_mixer')
        return z + h

    def forward(self, past, mask, categorical=None):
        cfg = self.cfg
        L, p, s = cfg['context_length'], cfg['patch_length'], cfg['patch_stride']
        past, mask = past[:, -L:], mask[:, -L:]
        scaling = cfg.get('scaling', 'std')
        if scaling in ('std', True):
            count = mask.sum(1, keepdim=True).clamp(min=1)
            loc = (past * mask).sum(1, keepdim=True) / count
            scale = torch.sqrt((((past - loc) * mask) ** 2).sum(1, keepdim=True) / count + 1e-5)
        elif scaling == 'mean':
            abs_sum = (past * mask).abs().sum(1, keepdim=True)
            observed = mask.sum(1, keepdim=True)
            batch = abs_sum.sum(0, keepdim=True) / observed.sum(0, keepdim=True).clamp(min=1)
            scale = torch.where(observed > 0, abs_sum / observed.clamp(min=1), batch).clamp(min=1e-10)
            loc = torch.zeros_like(scale)
        else:
            loc, scale = torch.zeros_like(past[:, :1]), torch.ones_like(past[:, :1])
        x = (past - loc) / scale
        n = (L - p) // s + 1
        start = L - (p + s * (n - 1))
        patches = x[:, start:].unfold(1, p, s)  # [B, N, C, p]
        h = self.lin(patches.transpose(1, 2), 'backbone.encoder.patcher')  # [B, C, N, D]
        enc_mix = cfg.get('mode', 'common_channel') == 'mix_channel'
        for i in range(cfg.get('num_layers', 3)):
            h = self.layer(h, f'backbone.encoder.mlp_mixer_encoder.mixers.{i}', enc_mix)
        if 'decoder.adapter.weight' in self.w:
            h = self.lin(h, 'decoder.adapter')
        C = h.shape[1]
        vocab = cfg.get('categorical_vocab_size_list') or []
        if vocab:
            emb = [self.w[f'decoder.decoder_cat_embedding_layer.embedding_layers.{k}.weight'][categorical[:, k].long()] for k in range(len(vocab))]
            extra = torch.stack(emb, 1).unsqueeze(2).expand(-1, -1, h.shape[2], -1)
            h = torch.cat([h, extra], 1)
        dec_mix = cfg.get('decoder_mode', 'common_channel') == 'mix_channel'
        for i in range(cfg.get('decoder_num_layers', 8)):
            h = self.layer(h, f'decoder.decoder_block.mixers.{i}', dec_mix)
        h = h[:, :C]
        y = self.lin(h.flatten(2), 'head.base_forecast_block').transpose(1, 2)  # [B, H, C]
        channels = sorted(cfg.get('prediction_channel_indices') or range(C))
        y = y[:, :, channels]
        if cfg.get('prediction_filter_length'):
            y = y[:, : cfg['prediction_filter_length']]
        return y * scale[:, :, channels] + loc[:, :, channels]


def load(model_dir):
    with open(f'{model_dir}/config.json') as f:
        cfg = json.load(f)
    return Ttm(cfg, read_safetensors(f'{model_dir}/model.safetensors'))


def check(case_dir):
    model = load(case_dir)
    inputs = read_safetensors(f'{case_dir}/inputs.safetensors')
    expected = read_safetensors(f'{case_dir}/expected.safetensors')['prediction_outputs']
    past = inputs['past_values']
    mask = inputs.get('past_observed_mask', torch.ones_like(past))
    with torch.no_grad():
        got = model.forward(past, mask, inputs.get('static_categorical_values'))
    err = (got - expected).abs().max().item()
    bound = 2e-5 * expected.abs().max().item() + 1e-4 * expected.abs().max().item()
    print(f'{case_dir}: max |ours - reference| = {err:.3g} (allowed {bound:.3g})')
    return 0 if err <= bound else 1


def train_step_ms(case_dir, strategy, batch=64, steps=30):
    """Median ms of one training step (forward, MSE backward, AdamW) at `batch`; strategy 'all' or 'fc1-fc2'."""
    import time

    model = load(case_dir)
    cfg = model.cfg
    for k, v in model.w.items():
        if v.is_floating_point() and (strategy == 'all' or '.fc1.' in k or '.fc2.' in k):
            v.requires_grad_(True)
    params = [v for v in model.w.values() if v.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-4)
    g = torch.Generator().manual_seed(1)
    L, H, C = cfg['context_length'], cfg['prediction_length'], cfg['num_input_channels']
    past = torch.randn(batch, L, C, generator=g)
    future = torch.randn(batch, H, C, generator=g)
    vocab = cfg.get('categorical_vocab_size_list') or []
    cat = torch.stack([torch.arange(batch) % v for v in vocab], 1).float() if vocab else None
    times = []
    for i in range(steps + 3):
        t0 = time.perf_counter()
        opt.zero_grad()
        loss = F.mse_loss(model.forward(past, torch.ones_like(past), cat), future)
        loss.backward()
        opt.step()
        if i >= 3:
            times.append(1000 * (time.perf_counter() - t0))
    times.sort()
    return times[len(times) // 2], sum(p.numel() for p in params)


def predict(model_dir, data_csv, out_csv):
    import pandas as pd

    model = load(model_dir)
    cfg = model.cfg
    with open(f'{model_dir}/preprocessor.json') as f:
        pre = json.load(f)
    if pre.get('scaling', 'none') != 'none':
        raise SystemExit('only a preprocessor without scaling is transcribed here')
    channels = pre['channels']
    L = cfg['context_length']
    df = pd.read_csv(data_csv, parse_dates=['date'])
    weeks = pd.date_range(df['date'].min(), df['date'].max(), freq='7D')
    wide = df.pivot_table(index=['produto_cat', 'uf_cat'], columns='date', values=channels, aggfunc='sum')
    keys = list(wide.index)
    B = len(keys)
    values = np.zeros((B, len(weeks), len(channels)), np.float32)
    mask = np.zeros_like(values)
    for c, ch in enumerate(channels):
        block = wide[ch].reindex(columns=weeks)
        values[:, :, c] = np.nan_to_num(block.to_numpy(np.float32))
        mask[:, :, c] = block.notna().to_numpy(np.float32)
    # Each series' window ends at its own last week with data.
    last = mask[:, :, 0].shape[1] - 1 - np.argmax(mask[:, ::-1, 0] > 0, axis=1)
    past = np.zeros((B, L, len(channels)), np.float32)
    pmask = np.zeros_like(past)
    for b in range(B):
        lo = max(0, last[b] + 1 - L)
        n = last[b] + 1 - lo
        past[b, L - n:] = values[b, lo:last[b] + 1]
        pmask[b, L - n:] = mask[b, lo:last[b] + 1]
    uf = np.array([pre['vocab']['regiao'].index(k[1]) for k in keys], np.float32).reshape(B, 1)
    with torch.no_grad():
        y = model.forward(torch.from_numpy(past), torch.from_numpy(pmask), torch.from_numpy(uf)).clamp(min=0).numpy()
    H = y.shape[1]
    rows = []
    for b, (produto, regiao) in enumerate(keys):
        dates = weeks[last[b]] + pd.to_timedelta(7 * np.arange(1, H + 1), unit='D')
        frame = pd.DataFrame(y[b], columns=channels[: y.shape[2]])
        frame.insert(0, 'uf_cat', regiao)
        frame.insert(0, 'produto_cat', produto)
        frame.insert(0, 'date', dates.strftime('%Y-%m-%d'))
        rows.append(frame)
    pd.concat(rows).to_csv(out_csv, index=False, float_format='%.4f')
    print(f'{B} series x {H} weeks', file=sys.stderr)


if __name__ == '__main__':
    args = sys.argv[1:]
    threads = 2
    if '--threads' in args:
        i = args.index('--threads')
        threads = int(args[i + 1])
        del args[i:i + 2]
    torch.set_num_threads(threads)
    if args and args[0] == '--check':
        sys.exit(check(args[1]))
    if args and args[0] == '--train-step':
        for strategy in ('all', 'fc1-fc2'):
            ms, n = train_step_ms(args[1], strategy)
            print(json.dumps({'strategy': strategy, 'ms': round(ms, 2), 'windows_per_second': round(64000 / ms), 'trainable': n, 'threads': threads}))
        sys.exit(0)
    if len(args) != 3:
        sys.exit(__doc__)
    predict(*args)

"""A small BERT sentence encoder in plain torch, for start-up time.

Importing sentence-transformers costs about 7 s here (it pulls in most of transformers) against
under 2 s for torch alone, and a server or a cold ``qa ask`` pays it before it can answer. For the
models this project ships — a BERT checkpoint with absolute positions, mean pooling over the
attention mask and L2 normalisation, as sentence-transformers' ``modules.json`` describes — this
module computes the same vectors from the same files (``model.safetensors``, ``tokenizer.json``)
with torch, safetensors and tokenizers only. :func:`supports` says whether a model folder is one of
those; anything else is left to sentence-transformers. ``tests/index/test_bert.py`` checks the
vectors against sentence-transformers'.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

_MODULES = ["sentence_transformers.models.Transformer", "sentence_transformers.models.Pooling",
            "sentence_transformers.models.Normalize"]


def supports(folder: Path) -> bool:
    """True when ``folder`` holds a BERT sentence-transformers model this encoder computes exactly."""
    try:
        modules = [m["type"] for m in json.loads((folder / "modules.json").read_text())]
        config = json.loads((folder / "config.json").read_text())
        pooling = json.loads((folder / "1_Pooling" / "config.json").read_text())
    except (OSError, ValueError, KeyError, TypeError):
        return False
    mean_only = pooling.get("pooling_mode_mean_tokens") and not any(
        pooling.get(k) for k in ("pooling_mode_cls_token", "pooling_mode_max_tokens",
                                 "pooling_mode_mean_sqrt_len_tokens"))
    return (modules == _MODULES and config.get("model_type") == "bert" and bool(mean_only)
            and config.get("hidden_act") == "gelu"
            and config.get("position_embedding_type", "absolute") == "absolute"
            and (folder / "model.safetensors").is_file() and (folder / "tokenizer.json").is_file())


class BertEncoder:
    """Loads the weights and tokenizer of ``folder``; ``encode(texts)`` -> normalised float32 rows."""

    def __init__(self, folder: Path, batch_size: int = 32) -> None:
        import torch
        from safetensors.torch import load_file

        config = json.loads((folder / "config.json").read_text())
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.batch_size = batch_size
        self.w: dict[str, Any] = load_file(str(folder / "model.safetensors"))
        self.dimension = int(config["hidden_size"])
        self.tokenizer = load_tokenizer(folder)
        self.torch = torch

    def _linear(self, x: Any, name: str) -> Any:
        return self.torch.nn.functional.linear(x, self.w[f"{name}.weight"], self.w[f"{name}.bias"])

    def _norm(self, x: Any, name: str) -> Any:
        # a constant shape (not x.shape[-1:]) so the traced ONNX graph has no shape-dependent node
        return self.torch.nn.functional.layer_norm(x, (self.dimension,), self.w[f"{name}.weight"],
                                                   self.w[f"{name}.bias"], self.eps)

    def _layer(self, h: Any, mask_bias: Any, i: int) -> Any:
        f, p = self.torch.nn.functional, f"encoder.layer.{i}"
        batch, length, width = h.shape[0], h.shape[1], self.dimension
        split = (batch, length, self.heads, width // self.heads)
        q, k, v = (self._linear(h, f"{p}.attention.self.{n}").view(split).transpose(1, 2)
                   for n in ("query", "key", "value"))
        context = f.scaled_dot_product_attention(q, k, v, attn_mask=mask_bias)  # softmax(qk/sqrt(d) + mask) v
        context = context.transpose(1, 2).reshape(batch, length, width)
        h = self._norm(self._linear(context, f"{p}.attention.output.dense") + h, f"{p}.attention.output.LayerNorm")
        inner = f.gelu(self._linear(h, f"{p}.intermediate.dense"))
        return self._norm(self._linear(inner, f"{p}.output.dense") + h, f"{p}.output.LayerNorm")

    def _batch(self, texts: list[str]) -> np.ndarray:
        torch = self.torch
        encodings = self.tokenizer.encode_batch(texts)
        ids = torch.tensor([e.ids for e in encodings], dtype=torch.long)
        types = torch.tensor([e.type_ids for e in encodings], dtype=torch.long)
        mask = torch.tensor([e.attention_mask for e in encodings], dtype=torch.long)
        return self.forward(ids, mask, types).numpy()

    def forward(self, ids: Any, attention_mask: Any, types: Any) -> Any:
        """Token ids, attention mask and token types (int64, batch x length) -> normalised
        sentence vectors (a tensor). Also the graph :mod:`qa.index.onnx_encoder` exports."""
        torch = self.torch
        mask = attention_mask.to(torch.float32)
        positions = torch.arange(ids.shape[1]).unsqueeze(0)
        h = (self.w["embeddings.word_embeddings.weight"][ids]
             + self.w["embeddings.position_embeddings.weight"][positions]
             + self.w["embeddings.token_type_embeddings.weight"][types])
        h = self._norm(h, "embeddings.LayerNorm")
        mask_bias = (1.0 - mask)[:, None, None, :] * torch.finfo(torch.float32).min
        for i in range(self.layers):
            h = self._layer(h, mask_bias, i)
        pooled = (h * mask[..., None]).sum(1) / mask.sum(1, keepdim=True).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, p=2, dim=1)

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        with self.torch.inference_mode():
            return encode_sorted(texts, self.batch_size, self.dimension, self._batch, progress)


def load_tokenizer(folder: Path) -> Any:
    """The model's tokenizer, truncating and padding as sentence-transformers does (no torch)."""
    from tokenizers import Tokenizer

    config = json.loads((folder / "config.json").read_text())
    max_len = int(json.loads((folder / "sentence_bert_config.json").read_text()).get("max_seq_length", 512))
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=min(max_len, int(config["max_position_embeddings"])))
    tokenizer.enable_padding(pad_id=int(config.get("pad_token_id", 0)))
    return tokenizer


def encode_sorted(texts: list[str], batch_size: int, dimension: int, run: Callable[[list[str]], np.ndarray],
                  progress: bool = False) -> np.ndarray:
    """``run`` over batches of ``texts``, longest first, rows back in the input order."""
    if not texts:
        return np.zeros((0, dimension), dtype=np.float32)
    # similar lengths together, as sentence-transformers does, so padding stays short
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    out = np.zeros((len(texts), dimension), dtype=np.float32)
    starts: Iterable[int] = range(0, len(order), batch_size)
    if progress:
        from tqdm import tqdm

        starts = tqdm(starts, desc="Batches", unit="batch")
    for start in starts:
        rows = order[start:start + batch_size]
        out[rows] = run([texts[i] for i in rows])
    return out

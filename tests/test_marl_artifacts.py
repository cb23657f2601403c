"""Artifacts cannot run code: pickle-free agents, a checksum manifest, and each fault planted."""

from __future__ import annotations

import io
import json
import os
import shutil

import numpy as np
import pytest
import torch

from mmkit.book.paths import artifacts_dir
from mmkit.common.io import sha256_bytes
from mmkit.common.manifest import ArtifactError, check_manifest, read_verified, write_manifest
from mmkit.marl.checkpoint import MODEL_VERSION, file_names
from mmkit.marl.policies import load_agent

ART = artifacts_dir("marl")
MARKER = "mmkit_pickle_payload_ran"


class Payload:
    """Unpickling this runs ``os.system`` (touches a marker file) under a plain ``pickle.load``."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_manifest_lists_every_artifact_with_its_hash():
    assert check_manifest(artifacts_dir()) == []


def test_no_pickle_files_in_artifacts():
    bad = [p for p in artifacts_dir().rglob("*") if p.suffix in (".pkl", ".zip", ".pickle")]
    assert bad == []


@pytest.mark.parametrize("role", ["adversary", "A", "B1", "B2", "Bstar"])
def test_committed_agents_load(role):
    agent = load_agent(ART, role)
    obs = np.zeros((3, 2 if role == "adversary" else 4))
    m, s = agent.mean_std(obs)
    assert m.shape == s.shape == (3, 3 if role == "Bstar" else 2) and np.all(s > 0)


@pytest.fixture
def store(tmp_path):
    """A copy of agents A and B1 under a folder with its own manifest."""
    root = tmp_path / "art"
    sub = root / "marl"
    sub.mkdir(parents=True)
    for role in ("A", "B1"):
        for f in file_names(role).values():
            shutil.copy(ART / f, sub / f)
    write_manifest(root)
    return root, sub


def _rewrite(root, sub, name: str, data: bytes, fix_meta_role: str | None = None) -> None:
    """Replace a file and (optionally) re-record its hash in the metadata, then the manifest:
    an attacker who can edit every file, so only the content checks can catch it."""
    (sub / name).write_bytes(data)
    if fix_meta_role:
        mp = sub / f"{fix_meta_role}.json"
        meta = json.loads(mp.read_text())
        for entry in meta["files"].values():
            if entry["name"] == name:
                entry.update(sha256=sha256_bytes(data), bytes=len(data))
        mp.write_text(json.dumps(meta))
        write_manifest(root)


def test_copy_loads_and_acts_as_the_original(store):
    _, sub = store
    obs = np.ones((2, 4))
    assert np.array_equal(load_agent(sub, "A").mean_std(obs)[0], load_agent(ART, "A").mean_std(obs)[0])


def test_tampered_weights_are_refused(store):
    _, sub = store
    data = bytearray((sub / "A.pt").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (sub / "A.pt").write_bytes(bytes(data))
    with pytest.raises(ArtifactError, match=r"A\.pt was modified"):
        load_agent(sub, "A")


def test_truncated_statistics_are_refused(store):
    _, sub = store
    data = (sub / "A_obsnorm.npz").read_bytes()
    (sub / "A_obsnorm.npz").write_bytes(data[: len(data) // 2])
    with pytest.raises(ArtifactError, match=r"A_obsnorm\.npz is truncated"):
        load_agent(sub, "A")


def test_missing_file_is_named(store):
    _, sub = store
    (sub / "A.pt").unlink()
    with pytest.raises(ArtifactError, match=r"A\.pt is missing"):
        load_agent(sub, "A")
    with pytest.raises(ArtifactError, match=r"B2\.json is missing"):
        load_agent(sub, "B2")


def test_unlisted_file_is_refused(store):
    root, sub = store
    (sub / "extra.json").write_text("{}")
    with pytest.raises(ArtifactError, match="not listed"):
        read_verified(sub / "extra.json")


def test_manifest_hash_is_checked_even_when_the_metadata_agrees(store):
    root, sub = store
    data = bytearray((sub / "A.pt").read_bytes())
    data[-10] ^= 0x01
    (sub / "A.pt").write_bytes(bytes(data))
    meta = json.loads((sub / "A.json").read_text())
    meta["files"]["weights"]["sha256"] = sha256_bytes(bytes(data))
    (sub / "A.json").write_text(json.dumps(meta))
    with pytest.raises(ArtifactError, match=r"A\.json (was modified|is truncated)"):
        load_agent(sub, "A")


def test_weights_of_another_role_are_refused(store):
    root, sub = store
    _rewrite(root, sub, "A.pt", (sub / "B1.pt").read_bytes(), fix_meta_role="A")
    with pytest.raises(ArtifactError, match="weights of role 'B1', not 'A'"):
        load_agent(sub, "A")


def test_statistics_of_another_role_are_refused(store):
    root, sub = store
    _rewrite(root, sub, "A_obsnorm.npz", (sub / "B1_obsnorm.npz").read_bytes(), fix_meta_role="A")
    with pytest.raises(ArtifactError, match="statistics of role 'B1', not 'A'"):
        load_agent(sub, "A")


def test_metadata_of_another_role_is_refused(store):
    root, sub = store
    _rewrite(root, sub, "A.json", (sub / "B1.json").read_bytes())
    write_manifest(root)
    with pytest.raises(ArtifactError, match="role 'B1'"):
        load_agent(sub, "A")


def test_planted_pickle_payload_never_executes(store, tmp_path, monkeypatch):
    root, sub = store
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / MARKER
    buf = io.BytesIO()
    torch.save({"format": MODEL_VERSION, "role": "A", "state_dict": Payload(str(marker))}, buf)
    _rewrite(root, sub, "A.pt", buf.getvalue(), fix_meta_role="A")
    with pytest.raises(ArtifactError, match="weights_only"):
        load_agent(sub, "A")
    # a pickled object array in the statistics file
    arr = np.empty(1, dtype=object)
    arr[0] = Payload(str(marker))
    npz = io.BytesIO()
    np.savez(npz, role=np.array("B1"), mean=arr, var=arr, scalars=arr)
    _rewrite(root, sub, "B1_obsnorm.npz", npz.getvalue(), fix_meta_role="B1")
    with pytest.raises(ArtifactError, match="not a normalisation-statistics file"):
        load_agent(sub, "B1")
    # a legacy pickle beside the agent is never read
    import pickle

    (sub / "A_vecnormalize.pkl").write_bytes(pickle.dumps(Payload(str(marker))))
    load_agent(ART, "A")
    assert not marker.exists()

"""Packs a root file system into one image archive that every common loader reads:

- an OCI image layout (oci-layout, index.json, blobs/): `skopeo copy oci-archive:`, `ctr images
  import`, `podman load`, Docker 25+;
- plus Docker's manifest.json pointing at the same blobs: `docker load` (any version), `skopeo copy
  docker-archive:`, `crane push`.

One uncompressed layer (registries compress on push), the files' times set to 0 and their order
sorted, so the same inputs give the same digest. The image name is in index.json the way `docker
save` writes it: the full reference in io.containerd.image.name, the tag in
org.opencontainers.image.ref.name.

usage: pack.py ROOTFS OUT.tar NAME:TAG CONFIG.json
CONFIG.json is the image config's "config" object (User, Env, Entrypoint, ...).
"""
import hashlib
import io
import json
import subprocess
import sys
import tarfile


def blob(out, data):
    digest = hashlib.sha256(data).hexdigest()
    info = tarfile.TarInfo("blobs/sha256/" + digest)
    info.size = len(data)
    out.addfile(info, io.BytesIO(data))
    return digest, len(data)


def file(out, path, data):
    info = tarfile.TarInfo(path)
    info.size = len(data)
    out.addfile(info, io.BytesIO(data))


def main(rootfs, target, reference, config_path):
    with open(config_path) as f:
        image_config = json.load(f)
    tag = reference.rsplit(":", 1)[1] if ":" in reference.rsplit("/", 1)[-1] else "latest"
    # GNU tar keeps ownership, modes and links as the kernel sees them.
    layer = subprocess.run(
        ["tar", "-C", rootfs, "--numeric-owner", "--sort=name", "--mtime=@0", "-cf", "-", "."],
        check=True, stdout=subprocess.PIPE).stdout
    with tarfile.open(target, "w") as out:
        layer_digest, layer_size = blob(out, layer)
        config = json.dumps({
            "architecture": "amd64", "os": "linux", "created": "1970-01-01T00:00:00Z",
            "config": image_config,
            "rootfs": {"type": "layers", "diff_ids": ["sha256:" + layer_digest]},
        }, sort_keys=True).encode()
        config_digest, config_size = blob(out, config)
        manifest = json.dumps({
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                       "digest": "sha256:" + config_digest, "size": config_size},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                        "digest": "sha256:" + layer_digest, "size": layer_size}],
            "annotations": {"org.opencontainers.image.title": "django-operator",
                            "org.opencontainers.image.version": tag},
        }, sort_keys=True).encode()
        manifest_digest, manifest_size = blob(out, manifest)
        file(out, "oci-layout", json.dumps({"imageLayoutVersion": "1.0.0"}).encode())
        file(out, "index.json", json.dumps({
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "digest": "sha256:" + manifest_digest, "size": manifest_size,
                           "annotations": {"io.containerd.image.name": reference,
                                           "org.opencontainers.image.ref.name": tag}}],
        }, sort_keys=True).encode())
        file(out, "manifest.json", json.dumps([{
            "Config": "blobs/sha256/" + config_digest,
            "RepoTags": [reference],
            "Layers": ["blobs/sha256/" + layer_digest],
        }]).encode())
    print("sha256:" + manifest_digest)


if __name__ == "__main__":
    main(*sys.argv[1:])

"""Packs a root file system into an OCI image layout tar that `ctr images import` accepts: one
uncompressed layer, a config with the user, working directory and command, and the image name as
the index annotation. No registry and no Docker engine are involved.

usage: mkimage.py ROOTFS OUT.tar NAME USER WORKDIR [--entrypoint PROGRAM] CMD...

With --entrypoint, PROGRAM is the image's entrypoint and CMD its default arguments: a pod that
gives only args (as cert-manager does for its HTTP-01 solver) still runs PROGRAM.
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
    return "sha256:" + digest, len(data)


def main(rootfs, target, name, user, workdir, *cmd):
    entrypoint = None
    if cmd and cmd[0] == "--entrypoint":
        entrypoint, cmd = [cmd[1]], cmd[2:]
    # GNU tar keeps ownership, modes, links and xattrs as the kernel sees them; reproducible order.
    layer = subprocess.run(
        ["tar", "-C", rootfs, "--numeric-owner", "--xattrs", "--sort=name", "--mtime=@0",
         "-cf", "-", "."], check=True, stdout=subprocess.PIPE).stdout
    with tarfile.open(target, "w") as out:
        layer_digest, layer_size = blob(out, layer)
        config = json.dumps({
            "architecture": "amd64", "os": "linux",
            "config": {"User": user, "WorkingDir": workdir, "Cmd": list(cmd),
                       **({"Entrypoint": entrypoint} if entrypoint else {}),
                       "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                               "PYTHONUNBUFFERED=1"]},
            "rootfs": {"type": "layers", "diff_ids": [layer_digest]},
        }, sort_keys=True).encode()
        config_digest, config_size = blob(out, config)
        manifest = json.dumps({
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                       "digest": config_digest, "size": config_size},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                        "digest": layer_digest, "size": layer_size}],
        }, sort_keys=True).encode()
        manifest_digest, manifest_size = blob(out, manifest)
        for path, data in [
            ("oci-layout", json.dumps({"imageLayoutVersion": "1.0.0"}).encode()),
            ("index.json", json.dumps({
                "schemaVersion": 2,
                "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                               "digest": manifest_digest, "size": manifest_size,
                               "annotations": {"io.containerd.image.name": name,
                                               "org.opencontainers.image.ref.name": name}}],
            }).encode())]:
            info = tarfile.TarInfo(path)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))


if __name__ == "__main__":
    main(*sys.argv[1:])

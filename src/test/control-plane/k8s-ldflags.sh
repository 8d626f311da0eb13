# Sourced by build.sh and ../real-node/build.sh: the version ldflags of the Kubernetes binaries
# built from this module (without them, the components report v0.0.0-master). Sets K8S_VERSION
# and k8s_ldflags.
K8S_VERSION=$(awk '$1 == "k8s.io/kubernetes" {print $2; exit}' "$(dirname "${BASH_SOURCE[0]}")/go.mod")
minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
k8s_ldflags="-s -w \
 -X k8s.io/component-base/version.gitVersion=$K8S_VERSION \
 -X k8s.io/component-base/version.gitMajor=1 \
 -X k8s.io/component-base/version.gitMinor=$minor \
 -X k8s.io/component-base/version.gitTreeState=clean \
 -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION \
 -X k8s.io/client-go/pkg/version.gitMajor=1 \
 -X k8s.io/client-go/pkg/version.gitMinor=$minor"

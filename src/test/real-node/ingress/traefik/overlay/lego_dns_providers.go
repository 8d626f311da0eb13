// Stands in, at build time only (go build -overlay, see ../../build.sh), for lego's generated
// table of DNS-01 providers. That table imports every DNS provider's SDK, and several of those
// SDK versions are not served by the module proxy this project builds from. The test world's
// Traefik never obtains certificates itself (cert-manager does), so it needs no DNS-01 provider.
package dns

import (
	"fmt"

	"github.com/go-acme/lego/v5/challenge"
)

// NewDNSChallengeProviderByName refuses every provider: none is built into this binary.
func NewDNSChallengeProviderByName(name string) (challenge.Provider, error) {
	return nil, fmt.Errorf("DNS-01 provider %q is not built into the test world's Traefik", name)
}

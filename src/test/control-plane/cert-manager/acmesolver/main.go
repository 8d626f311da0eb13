// Command acmesolver is cert-manager's HTTP-01 solver for the test world: the pod that
// cert-manager creates for each challenge runs it (the controller's --acme-http01-solver-image
// names its image), and it answers /.well-known/acme-challenge/<token> with the key, behind the
// solver Ingress that cert-manager creates, through the real ingress controller. cert-manager's
// own command is a separate module the proxy does not serve; the solver itself is cert-manager's
// (pkg/issuer/acme/http/solver), and this main only reads the flags cert-manager passes.
package main

import (
	"flag"
	"os"

	"github.com/cert-manager/cert-manager/pkg/issuer/acme/http/solver"
	"k8s.io/klog/v2"
)

func main() {
	s := &solver.HTTP01Solver{}
	flag.IntVar(&s.ListenPort, "listen-port", 8089, "the port to listen on")
	flag.StringVar(&s.Domain, "domain", "", "the domain name to answer for")
	flag.StringVar(&s.Token, "token", "", "the challenge token")
	flag.StringVar(&s.Key, "key", "", "the challenge key")
	flag.Parse()
	log := klog.Background().WithName("acmesolver")
	if err := s.Listen(log); err != nil {
		log.Error(err, "the solver stopped")
		os.Exit(1)
	}
}

// Command cert-manager-controllers runs cert-manager's real controllers for this project's tests.
//
// cert-manager's own command (cmd/controller) is a separate Go module that is not on the module
// proxy, but every controller and issuer back end lives in the main module and registers itself
// in init(). This program blank-imports the ones an Ingress-driven ACME/CA/self-signed setup uses
// and runs them as the upstream command would, with flags instead of a config file. There is no
// leader election, webhook, metrics server or Gateway API support: the tests run one instance on
// loopback and do not need them.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"strings"
	"sync"
	"syscall"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/klog/v2"

	"github.com/cert-manager/cert-manager/pkg/controller"
	logf "github.com/cert-manager/cert-manager/pkg/logs"

	// Controllers: each registers itself with controller.Register in init().
	_ "github.com/cert-manager/cert-manager/pkg/controller/acmechallenges"
	_ "github.com/cert-manager/cert-manager/pkg/controller/acmeorders"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificate-shim/ingresses"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/acme"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/approver"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/ca"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/selfsigned"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/issuing"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/keymanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/metrics"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/readiness"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/requestmanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/revisionmanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/trigger"
	_ "github.com/cert-manager/cert-manager/pkg/controller/clusterissuers"
	_ "github.com/cert-manager/cert-manager/pkg/controller/issuers"
	// Issuer back ends, used by the issuers and clusterissuers controllers.
	_ "github.com/cert-manager/cert-manager/pkg/issuer/acme"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/ca"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/selfsigned"
)

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig of the identity the controllers run as")
	clusterResourceNamespace := flag.String("cluster-resource-namespace", "cert-manager",
		"namespace holding the Secrets of ClusterIssuers (ACME account keys, CA key pairs)")
	only := flag.String("controllers", "", "comma-separated controller names to run; empty runs all compiled in")
	nameservers := flag.String("acme-http01-solver-nameservers", "",
		"comma-separated host:port nameservers for the HTTP-01 self check; empty uses the system resolver")
	solverImage := flag.String("acme-http01-solver-image", "quay.io/jetstack/cert-manager-acmesolver:v1.19.2",
		"image named in the solver pods; kwok runs no containers, so it is never pulled here")
	qps := flag.Float64("kube-api-qps", 50, "client QPS towards the API server")
	burst := flag.Int("kube-api-burst", 100, "client burst towards the API server")
	workers := flag.Int("workers", 5, "workers per controller")
	list := flag.Bool("list", false, "print the compiled-in controller names and exit")
	klog.InitFlags(flag.CommandLine)
	flag.Parse()

	known := controller.Known()
	if *list {
		for _, name := range sortedNames(known) {
			fmt.Println(name)
		}
		return
	}

	ctx, cancel := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer cancel()
	ctx = logf.NewContext(ctx, logf.Log)

	factory, err := controller.NewContextFactory(ctx, controller.ContextOptions{
		Kubeconfig:         *kubeconfig,
		KubernetesAPIQPS:   float32(*qps),
		KubernetesAPIBurst: *burst,
		IssuerOptions: controller.IssuerOptions{
			ClusterResourceNamespace: *clusterResourceNamespace,
		},
		ACMEOptions: controller.ACMEOptions{
			HTTP01SolverImage:                 *solverImage,
			HTTP01SolverResourceRequestCPU:    resource.MustParse("10m"),
			HTTP01SolverResourceRequestMemory: resource.MustParse("64Mi"),
			HTTP01SolverResourceLimitsCPU:     resource.MustParse("100m"),
			HTTP01SolverResourceLimitsMemory:  resource.MustParse("64Mi"),
			ACMEHTTP01SolverRunAsNonRoot:      true,
			HTTP01SolverNameservers:           splitList(*nameservers),
		},
		CertificateOptions: controller.CertificateOptions{
			// The chart's defaults: the Secret outlives its Certificate, annotations not copied.
			EnableOwnerRef: false,
		},
		SchedulerOptions: controller.SchedulerOptions{MaxConcurrentChallenges: 60},
	})
	if err != nil {
		fail("building the controller context", err)
	}
	shared, err := factory.Build()
	if err != nil {
		fail("building the shared context", err)
	}

	names := sortedNames(known)
	if *only != "" {
		names = splitList(*only)
	}
	var running sync.WaitGroup
	for _, name := range names {
		construct, ok := known[name]
		if !ok {
			fail("unknown controller "+name, fmt.Errorf("compiled in: %s", strings.Join(sortedNames(known), ",")))
		}
		ctrl, err := construct(factory)
		if err != nil {
			fail("constructing controller "+name, err)
		}
		running.Add(1)
		go func() {
			defer running.Done()
			if err := ctrl.Run(*workers, ctx); err != nil {
				klog.ErrorS(err, "controller stopped", "controller", name)
				cancel()
			}
		}()
	}
	// The constructors above registered their informers; only now may the factories start them.
	shared.KubeSharedInformerFactory.Start(ctx.Done())
	shared.SharedInformerFactory.Start(ctx.Done())
	shared.HTTP01ResourceMetadataInformersFactory.Start(ctx.Done())
	klog.InfoS("cert-manager controllers started", "controllers", strings.Join(names, ","))
	running.Wait()
}

func sortedNames(known map[string]controller.Constructor) []string {
	names := make([]string, 0, len(known))
	for name := range known {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func splitList(value string) []string {
	var items []string
	for _, item := range strings.Split(value, ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	return items
}

func fail(what string, err error) {
	fmt.Fprintf(os.Stderr, "cert-manager-controllers: %s: %v\n", what, err)
	os.Exit(1)
}

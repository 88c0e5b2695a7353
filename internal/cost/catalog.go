package cost

import (
	"sort"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/compiler"
)

// Catalog lists the SKUs an estimate on cloud c can ask the price table for:
// those of every kind with the modules' defaults and the options a blueprint
// or an override can choose (FIFO queues, Arm functions, the Premium Service
// Bus, the AKS tiers), and one per instance class, tier or machine type of
// the cloud's size table, for each database engine. Spot nodes, which the
// table never prices, are not listed.
func Catalog(c blueprints.Cloud) []string {
	var out []string
	switch c {
	case blueprints.AWS:
		out = []string{
			"aws.sqs.standard.requests", "aws.sqs.fifo.requests",
			"aws.lambda.requests", "aws.lambda.duration.x86_64", "aws.lambda.duration.arm64",
			"aws.scheduler.invocations",
			"aws.rds.storage.gp3", "aws.secretsmanager.secret",
			"aws.eks.cluster", "aws.ebs.gp3",
			"aws.vpc.endpoint", "aws.vpc.nat", "aws.vpc.ipv4",
		}
	case blueprints.GCP:
		out = []string{
			"gcp.pubsub.throughput",
			"gcp.run.requests", "gcp.run.cpu", "gcp.run.memory",
			"gcp.scheduler.job",
			"gcp.sql.cpu", "gcp.sql.memory", "gcp.sql.storage.ssd",
			"gcp.gke.cluster", "gcp.pd.balanced",
		}
	case blueprints.Azure:
		out = []string{
			"azure.servicebus.standard.base", "azure.servicebus.standard.operations", "azure.servicebus.premium.unit",
			"azure.functions.flex.executions", "azure.functions.flex.memory",
			"azure.postgres.storage", "azure.mysql.storage",
			"azure.aks.free", "azure.aks.standard", "azure.aks.premium",
			"azure.disk.premium." + premiumDisk(128),
			"azure.dns.private-zone",
		}
	}
	if p := compiler.Lookup(c); p != nil {
		for _, m := range p.Sizes() {
			switch {
			case m.Kind == blueprints.KindCluster:
				out = append(out, map[blueprints.Cloud]string{blueprints.AWS: "aws.ec2.", blueprints.GCP: "gcp.gce.", blueprints.Azure: "azure.vm."}[c]+m.Type)
			case m.Kind == blueprints.KindDatabase && c == blueprints.AWS:
				out = append(out, "aws.rds.postgres."+m.Type, "aws.rds.mysql."+m.Type)
			case m.Kind == blueprints.KindDatabase && c == blueprints.Azure:
				out = append(out, "azure.postgres."+m.Type, "azure.mysql."+m.Type)
			}
		}
	}
	sort.Strings(out)
	return out
}

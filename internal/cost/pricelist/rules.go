package pricelist

import (
	"fmt"
	"strings"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/providers"
)

// Rules returns the mapping from price list entries to table rows: fixed
// rules for the serverless, storage and network SKUs, and one rule per
// instance class, tier or machine type in the clouds' size tables.
func Rules(sizes map[blueprints.Cloud][]providers.SizeMapping) []Rule {
	aws, gcp, azure := blueprints.AWS, blueprints.GCP, blueprints.Azure
	one := func(c blueprints.Cloud, sku, desc, unit string, factor float64, service string, ms ...match) Rule {
		return Rule{Cloud: c, SKU: sku, Description: desc, Unit: unit, Parts: []component{{Service: service, Match: ms, Factor: factor}}}
	}
	rs := []Rule{
		one(aws, "aws.sqs.standard.requests", "SQS standard queue requests", "1M requests", 1e6, "AWSQueueService", eq("queueType", "Standard")),
		one(aws, "aws.sqs.fifo.requests", "SQS FIFO queue requests", "1M requests", 1e6, "AWSQueueService", eq("queueType", "FIFO (first-in, first-out)")),
		one(aws, "aws.lambda.requests", "Lambda requests", "1M requests", 1e6, "AWSLambda", eq("group", "AWS-Lambda-Requests")),
		one(aws, "aws.lambda.duration.x86_64", "Lambda duration, x86, first tier", "GB-second", 1, "AWSLambda", eq("group", "AWS-Lambda-Duration")),
		one(aws, "aws.lambda.duration.arm64", "Lambda duration, Arm, first tier", "GB-second", 1, "AWSLambda", eq("group", "AWS-Lambda-Duration-ARM")),
		one(aws, "aws.rds.storage.gp3", "RDS General Purpose gp3 storage", "GB-month", 1, "AmazonRDS",
			eq("productFamily", "Database Storage"), eq("volumeType", "General Purpose-GP3"), eq("deploymentOption", "Single-AZ")),
		one(aws, "aws.secretsmanager.secret", "Secrets Manager secret", "secret-month", 1, "AWSSecretsManager", suffix("usagetype", "AWSSecretsManager-Secrets")),
		one(aws, "aws.eks.cluster", "EKS cluster in standard support", "hour", 1, "AmazonEKS", suffix("usagetype", "AmazonEKS-Hours:perCluster")),
		one(aws, "aws.ebs.gp3", "EBS gp3 volume storage", "GB-month", 1, "AmazonEC2", eq("productFamily", "Storage"), eq("volumeApiName", "gp3")),
		one(aws, "aws.vpc.nat", "NAT gateway hour", "hour", 1, "AmazonEC2", eq("productFamily", "NAT Gateway"), suffix("usagetype", "NatGateway-Hours")),
		one(aws, "aws.vpc.endpoint", "interface VPC endpoint hour, per zone", "hour", 1, "AmazonVPC", eq("productFamily", "VpcEndpoint"), suffix("usagetype", "VpcEndpoint-Hours")),
		one(aws, "aws.vpc.ipv4", "public IPv4 address hour", "hour", 1, "AmazonVPC", suffix("usagetype", "PublicIPv4:InUseAddress")),

		one(gcp, "gcp.pubsub.throughput", "Pub/Sub message throughput (publish and delivery)", "TiB", 1, "", eq("description", "Message Delivery Basic"), eq("usageUnit", "TiBy")),
		one(gcp, "gcp.run.cpu", "Cloud Run CPU, request-based billing", "vCPU-second", 1, "", eq("description", "CPU Allocation Time"), eq("usageUnit", "s")),
		one(gcp, "gcp.run.memory", "Cloud Run memory, request-based billing", "GiB-second", 1, "", eq("description", "Memory Allocation Time"), eq("usageUnit", "GiBy.s")),
		one(gcp, "gcp.run.requests", "Cloud Run requests", "1M requests", 1e6, "", eq("description", "Requests"), eq("serviceDisplayName", "Cloud Run")),
		one(gcp, "gcp.gke.cluster", "GKE cluster management fee", "hour", 1, "", eq("description", "Regional Kubernetes Clusters"), eq("usageUnit", "h")),
		one(gcp, "gcp.sql.cpu", "Cloud SQL Enterprise vCPU", "vCPU-hour", 1, "", prefix("description", "Cloud SQL for PostgreSQL: Zonal - vCPU"), eq("usageUnit", "h")),
		one(gcp, "gcp.sql.memory", "Cloud SQL Enterprise memory", "GiB-hour", 1, "", prefix("description", "Cloud SQL for PostgreSQL: Zonal - RAM"), eq("usageUnit", "GiBy.h")),
		one(gcp, "gcp.sql.storage.ssd", "Cloud SQL SSD storage", "GB-month", 1, "", prefix("description", "Cloud SQL for PostgreSQL: Zonal - Standard storage"), eq("usageUnit", "GiBy.mo")),
		one(gcp, "gcp.pd.balanced", "balanced persistent disk", "GB-month", 1, "", prefix("description", "Balanced PD Capacity"), eq("usageUnit", "GiBy.mo")),

		one(azure, "azure.functions.flex.memory", "Flex Consumption on-demand execution time", "GB-second", 1, "",
			eq("productName", "Functions Flex Consumption"), eq("meterName", "On Demand Execution Time")),
		one(azure, "azure.functions.flex.executions", "Flex Consumption on-demand executions", "1M executions", 1e6, "",
			eq("productName", "Functions Flex Consumption"), eq("meterName", "On Demand Total Executions")),
		one(azure, "azure.servicebus.standard.base", "Service Bus Standard base charge", "hour", 1, "",
			eq("serviceName", "Service Bus"), eq("skuName", "Standard"), eq("meterName", "Standard Base Unit")),
		one(azure, "azure.servicebus.standard.operations", "Service Bus Standard operations, 13M to 100M", "1M operations", 1e6, "",
			eq("serviceName", "Service Bus"), eq("skuName", "Standard"), eq("meterName", "Standard Messaging Operations")),
		one(azure, "azure.dns.private-zone", "Azure DNS private zone", "zone-month", 1, "", eq("serviceName", "Azure DNS"), eq("meterName", "Private Zone")),
		one(azure, "azure.disk.premium.p10", "Premium SSD P10 managed disk", "disk-month", 1, "",
			eq("productName", "Premium SSD Managed Disks"), eq("meterName", "P10 LRS Disk")),
	}
	engines := map[string]string{"postgres": "PostgreSQL", "mysql": "MySQL"}
	for _, engine := range []string{"postgres", "mysql"} {
		name := engines[engine]
		rs = append(rs, one(azure, "azure."+engine+".storage", "Flexible Server "+engine+" storage", "GB-month", 1, "",
			eq("serviceName", "Azure Database for "+name), suffix("productName", "Flexible Server Storage"), eq("meterName", "Storage Data Stored")))
	}
	for _, c := range []blueprints.Cloud{aws, gcp, azure} {
		for _, m := range sizes[c] {
			switch {
			case c == aws && m.Kind == blueprints.KindDatabase:
				for _, engine := range []string{"postgres", "mysql"} {
					rs = append(rs, one(aws, "aws.rds."+engine+"."+m.Type, "RDS for "+engines[engine]+" "+m.Type+", Single-AZ, on demand", "hour", 1, "AmazonRDS",
						eq("productFamily", "Database Instance"), eq("instanceType", m.Type), eq("databaseEngine", engines[engine]), eq("deploymentOption", "Single-AZ")))
				}
			case c == aws && m.Kind == blueprints.KindCluster:
				rs = append(rs, one(aws, "aws.ec2."+m.Type, "EC2 "+m.Type+" Linux on demand", "hour", 1, "AmazonEC2",
					eq("productFamily", "Compute Instance"), eq("instanceType", m.Type), eq("operatingSystem", "Linux"),
					eq("tenancy", "Shared"), eq("preInstalledSw", "NA"), eq("capacitystatus", "Used")))
			case c == gcp && m.Kind == blueprints.KindCluster && strings.HasPrefix(m.Type, "e2-"):
				rs = append(rs, Rule{Cloud: gcp, SKU: "gcp.gce." + m.Type, Description: fmt.Sprintf("Compute Engine %s on demand (%d E2 vCPU, %g GiB)", m.Type, m.VCPU, m.MemoryGiB), Unit: "hour",
					Parts: []component{
						{Match: []match{prefix("description", "E2 Instance Core running in"), without("description", "Spot"), without("description", "Preemptible")}, Factor: float64(m.VCPU)},
						{Match: []match{prefix("description", "E2 Instance Ram running in"), without("description", "Spot"), without("description", "Preemptible")}, Factor: m.MemoryGiB},
					}})
			case c == azure && m.Kind == blueprints.KindCluster:
				rs = append(rs, one(azure, "azure.vm."+m.Type, "VM "+m.Type+" Linux pay as you go", "hour", 1, "",
					eq("serviceName", "Virtual Machines"), eq("armSkuName", m.Type), without("productName", "Windows"),
					without("skuName", "Spot"), without("skuName", "Low Priority")))
			case c == azure && m.Kind == blueprints.KindDatabase:
				for _, engine := range []string{"postgres", "mysql"} {
					rs = append(rs, azureDatabase(engine, engines[engine], m))
				}
			}
		}
	}
	return rs
}

// azureDatabase: Burstable servers are priced per SKU (meter "B2s"),
// General Purpose ones per vCore of their series.
func azureDatabase(engine, name string, m providers.SizeMapping) Rule {
	r := Rule{Cloud: blueprints.Azure, SKU: "azure." + engine + "." + m.Type, Description: "Flexible Server " + engine + " " + m.Type, Unit: "hour"}
	parts := strings.Split(m.Type, "_") // B_Standard_B2s, GP_Standard_D2ads_v5
	if len(parts) < 3 {
		return r
	}
	if parts[0] == "B" {
		r.Parts = []component{{Factor: 1, Match: []match{eq("serviceName", "Azure Database for "+name),
			suffix("productName", "Flexible Server Burstable BS Series Compute"), eq("meterName", parts[2])}}}
		return r
	}
	series := "Dadsv5"
	r.Parts = []component{{Factor: float64(m.VCPU), Match: []match{eq("serviceName", "Azure Database for "+name),
		suffix("productName", "Flexible Server General Purpose "+series+" Series Compute"), eq("meterName", "vCore")}}}
	return r
}

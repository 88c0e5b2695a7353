package aws

import (
	"fmt"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/skyform/skyform/providers"
)

// database maps a neutral database onto an RDS instance in the implicit
// network. The version goes through as written ("16", "8.0"): RDS takes a
// major version and picks its default minor, and the module keeps automatic
// minor upgrades on.
func (l *lowering) database(r *blueprints.Resource) *tfir.Block {
	db := r.Database
	b := providers.ModuleCall(l.bp, cloud, r)
	b.Set("engine", tfir.String(string(db.Engine)))
	b.Set("engine_version", tfir.String(db.Version))
	if why, ok := rdsExtended[string(db.Engine)+" "+db.Version]; ok && !overridden(r, "engine_version") {
		l.ds = l.ds.Warnf(r.At("version"), r.Path("version"), fmt.Sprintf("%s %s is in RDS Extended Support", db.Engine, db.Version),
			"%s; RDS creates the instance enrolled in Extended Support, which is billed per vCPU-hour on top of the instance. Use a newer version to avoid the charge", why)
	}

	m, _ := sizeFor(blueprints.KindDatabase, db.Size)
	b.Set("instance_class", tfir.String(m.Type))
	if m.Note != "" && !overridden(r, "instance_class") {
		l.ds = providers.Approximated(l.ds, cloud, r, "size", "size "+string(db.Size),
			"%s is %s (%d vCPU, %g GiB), the only RDS class of that shape, and it is %s", db.Size, m.Type, m.VCPU, m.MemoryGiB, m.Note)
	}

	b.Set("allocated_storage", tfir.Number(int64(db.StorageGB)))
	b.Set("multi_az", tfir.Bool(db.HighAvailability))
	b.Set("backup_retention_period", tfir.Number(int64(db.BackupRetentionDays)))
	b.Set("deletion_protection", tfir.Bool(db.DeletionProtection))
	b.Set("db_name", tfir.String(r.ID()))

	b.Set("vpc_id", providers.NetworkOutput(cloud, "vpc_id"))
	b.Set("subnet_ids", providers.NetworkOutput(cloud, "private_subnet_ids"))
	// Clients inside AWS: functions joining the VPC use the network's app
	// security group, and pods on EKS nodes the cluster's security group.
	allowed := tfir.Object{{Key: "functions", Value: providers.NetworkOutput(cloud, "app_security_group_id")}}
	for _, c := range l.clusters {
		allowed = append(allowed, tfir.ObjectAttr{Key: "cluster-" + c.Name, Value: providers.Output(c, "node_security_group_id")})
	}
	b.Set("allowed_security_group_ids", allowed)
	return b
}

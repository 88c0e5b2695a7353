package migrate

import (
	"fmt"

	"github.com/skyform/skyform/blueprints"
)

// The commands below are each cloud's own CLI (aws, gcloud, az, func) and
// the engines' own tools (pg_dump, pg_restore, psql, mysqldump, mysql).
// Names and addresses come from skyform output; passwords never appear in
// a command line: they are read into the tools' environment variables.

// region is the native region of cloud c.
func (w *writer) region(c blueprints.Cloud) string {
	if c == w.in.From {
		return w.in.FromRegion
	}
	return w.in.ToRegion
}

// password is a shell expression printing the administrator's password
// (or the token that stands for it) of database r on cloud c.
func (w *writer) password(c blueprints.Cloud, r *blueprints.Resource) string {
	switch c {
	case blueprints.AWS:
		// RDS keeps the generated password in Secrets Manager as JSON.
		return "$(aws secretsmanager get-secret-value --secret-id " + w.out(c, r, "password_secret") + " --query SecretString --output text | jq -r .password)"
	case blueprints.GCP:
		// IAM database authentication: an access token of the administrator service account.
		return "$(gcloud auth print-access-token --impersonate-service-account=" + w.out(c, r, "password_secret") + ")"
	default:
		// Microsoft Entra authentication: a token for Azure Database for PostgreSQL/MySQL.
		return "$(az account get-access-token --resource-type oss-rdbms --query accessToken --output tsv)"
	}
}

// conn is the shell variable holding database r's connection on cloud c:
// SRC on the source, DST on the target.
func (w *writer) conn(c blueprints.Cloud) string {
	if c == w.in.From {
		return "SRC"
	}
	return "DST"
}

// connect sets the connection variables of database r on cloud c.
func (w *writer) connect(c blueprints.Cloud, r *blueprints.Resource) []string {
	v := w.conn(c)
	if r.Database.Engine == blueprints.MySQL {
		cleartext := ""
		if c != blueprints.AWS {
			// A token is sent as a cleartext password, over TLS.
			cleartext = " --enable-cleartext-plugin"
		}
		return []string{
			fmt.Sprintf(`%s="--host=%s --port=%s --user=%s --ssl-mode=REQUIRED%s %s"`, v, w.out(c, r, "host"), w.out(c, r, "port"), w.out(c, r, "username"), cleartext, w.out(c, r, "name")),
			fmt.Sprintf(`%s_PWD="%s"`, v, w.password(c, r)),
		}
	}
	return []string{
		fmt.Sprintf(`%s="host=%s port=%s dbname=%s user=%s sslmode=require"`, v, w.out(c, r, "host"), w.out(c, r, "port"), w.out(c, r, "name"), w.out(c, r, "username")),
		fmt.Sprintf(`%s_PWD="%s"`, v, w.password(c, r)),
	}
}

// pgCounts lists every table with its exact row count, one per line.
const pgCounts = `SELECT table_schema || '.' || table_name || ' ' || (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`

// mysqlCounts writes one COUNT query per table; piped into mysql it lists
// every table with its exact row count.
const mysqlCounts = "SELECT CONCAT('SELECT ''', table_name, ''', COUNT(*) FROM \\`', table_name, '\\`;') FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name"

// service names the target cloud's continuous replication service.
func service(to blueprints.Cloud, e blueprints.Engine) string {
	switch to {
	case blueprints.AWS:
		return "AWS Database Migration Service (a full load and ongoing replication task into the RDS instance)"
	case blueprints.GCP:
		return "Google Cloud's Database Migration Service (a continuous migration job into the existing Cloud SQL instance)"
	}
	if e == blueprints.MySQL {
		return "Azure Database Migration Service (an online migration into the flexible server)"
	}
	return "the migration service of Azure Database for PostgreSQL flexible server (an online migration)"
}

func (w *writer) copyDatabase(r *blueprints.Resource) Step {
	from, to := w.in.From, w.in.To
	db := r.Database
	dump := r.Name + ".dump"
	cmds := append(w.connect(from, r), w.connect(to, r)...)
	var check []string
	why := fmt.Sprintf("The %s database on %s starts empty. A dump is one point in time, so writes after it are not copied: "+
		"take it in a maintenance window with the writers stopped (producers paused, the source functions' concurrency at 0), "+
		"or, to copy without downtime, use %s and cut over when its replication lag is zero. "+
		"Run this from a machine that reaches both private hosts (a bastion or a job inside the target network).", db.Engine, to, service(to, db.Engine))
	if db.Engine == blueprints.MySQL {
		dump = r.Name + ".sql"
		cmds = append(cmds,
			`MYSQL_PWD="$SRC_PWD" mysqldump $SRC --single-transaction --routines --triggers --events --set-gtid-purged=OFF > `+dump,
			`MYSQL_PWD="$DST_PWD" mysql $DST < `+dump,
		)
		check = []string{
			`diff <(MYSQL_PWD="$SRC_PWD" mysql $SRC -N -e "` + mysqlCounts + `" | MYSQL_PWD="$SRC_PWD" mysql $SRC -N) <(MYSQL_PWD="$DST_PWD" mysql $DST -N -e "` + mysqlCounts + `" | MYSQL_PWD="$DST_PWD" mysql $DST -N)`,
		}
	} else {
		cmds = append(cmds,
			`PGPASSWORD="$SRC_PWD" pg_dump --format=custom --no-owner --no-privileges --dbname "$SRC" --file `+dump,
			`PGPASSWORD="$DST_PWD" pg_restore --no-owner --no-privileges --exit-on-error --dbname "$DST" `+dump,
		)
		check = []string{
			`diff <(PGPASSWORD="$SRC_PWD" psql "$SRC" -Atc "` + pgCounts + `") <(PGPASSWORD="$DST_PWD" psql "$DST" -Atc "` + pgCounts + `")`,
		}
	}
	return Step{
		Resource: r.Name,
		Title:    fmt.Sprintf("Copy %s's data from %s to %s", r.Name, from, to),
		Why:      why,
		Commands: cmds,
		Check:    Check{Commands: check, Expect: "no output from diff: every table exists on both with the same number of rows"},
	}
}

// dbSessions counts the other sessions on database r on cloud c.
func dbSessions(w *writer, c blueprints.Cloud, r *blueprints.Resource) string {
	v := w.conn(c)
	if r.Database.Engine == blueprints.MySQL {
		return fmt.Sprintf(`MYSQL_PWD="$%s_PWD" mysql $%s -N -e "SELECT COUNT(*) FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID()"`, v, v)
	}
	return fmt.Sprintf(`PGPASSWORD="$%s_PWD" psql "$%s" -Atc "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"`, v, v)
}

// queueCount shows how many messages wait on queue r on cloud c.
func queueCount(c blueprints.Cloud, w *writer, r *blueprints.Resource) string {
	switch c {
	case blueprints.AWS:
		return "aws sqs get-queue-attributes --queue-url " + w.out(c, r, "url") + " --attribute-names ApproximateNumberOfMessages ApproximateNumberOfMessagesNotVisible"
	case blueprints.GCP:
		// The backlog is per subscription: Cloud Monitoring's
		// subscription/num_undelivered_messages of each one.
		return "gcloud pubsub topics list-subscriptions " + w.out(c, r, "id") + "   # then, for each: Metrics Explorer, pubsub.googleapis.com/subscription/num_undelivered_messages"
	default:
		return "az servicebus queue show --ids " + w.out(c, r, "id") + " --query countDetails"
	}
}

// functionLogs shows function r's recent logs on cloud c.
func functionLogs(w *writer, c blueprints.Cloud, r *blueprints.Resource) string {
	switch c {
	case blueprints.AWS:
		return "aws logs tail /aws/lambda/" + w.out(c, r, "name") + " --since 15m --region " + w.region(c)
	case blueprints.GCP:
		return "gcloud functions logs read " + w.out(c, r, "name") + " --gen2 --region " + w.region(c) + " --limit 50"
	default:
		return "func azure functionapp logstream " + w.out(c, r, "name")
	}
}

// kubeconfig adds cluster r on cloud c to the kubeconfig and makes it the
// current context.
func kubeconfig(w *writer, c blueprints.Cloud, r *blueprints.Resource) string {
	switch c {
	case blueprints.AWS:
		return "aws eks update-kubeconfig --region " + w.region(c) + " --name " + w.out(c, r, "name")
	case blueprints.GCP:
		return "gcloud container clusters get-credentials " + w.out(c, r, "name") + " --location " + w.region(c)
	default:
		// The resource group is the fifth field of the cluster's resource id.
		return `az aks get-credentials --resource-group "$(echo ` + w.out(c, r, "id") + ` | cut -d/ -f5)" --name ` + w.out(c, r, "name")
	}
}

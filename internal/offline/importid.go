package offline

import "strings"

// importedAttributes returns the arguments an import ID determines for a
// resource type, as the real provider's importer sets them before it reads
// the rest from the cloud: the queue name in an SQS queue URL, the role and
// policy of an attachment. The formats are the providers' documented
// import IDs. Types not listed keep every argument null.
func importedAttributes(typeName, id string) map[string]string {
	split := func(sep string, a, b string) map[string]string {
		x, y, ok := strings.Cut(id, sep)
		if !ok {
			return nil
		}
		return map[string]string{a: x, b: y}
	}
	switch typeName {
	case "aws_sqs_queue":
		return map[string]string{"name": id[strings.LastIndex(id, "/")+1:]}
	case "aws_sqs_queue_redrive_allow_policy", "aws_sqs_queue_policy":
		return map[string]string{"queue_url": id}
	case "aws_lambda_function", "aws_lambda_function_url":
		name, _, _ := strings.Cut(id, "/")
		return map[string]string{"function_name": name}
	case "aws_iam_role", "aws_cloudwatch_log_group", "aws_db_subnet_group", "aws_eks_cluster":
		return map[string]string{"name": id}
	case "aws_db_instance":
		return map[string]string{"identifier": id}
	case "aws_iam_role_policy":
		return split(":", "role", "name")
	case "aws_iam_role_policy_attachment":
		return split("/", "role", "policy_arn")
	case "aws_eks_node_group":
		return split(":", "cluster_name", "node_group_name")
	}
	if strings.HasPrefix(typeName, "azurerm_") {
		return azureImported(typeName, id)
	}
	return googleImported(typeName, id)
}

// googleImported are the arguments of the google provider's import IDs
// that a configuration sets literally: names and locations. The project,
// and a member naming the project's number, stay null: offline the
// configuration's own values are placeholders.
func googleImported(typeName, id string) map[string]string {
	parts := strings.Split(id, "/")
	n := len(parts)
	switch typeName {
	case "google_pubsub_topic", "google_pubsub_subscription", "google_sql_database_instance":
		// projects/{project}/topics/{name}, .../subscriptions/{name},
		// .../instances/{name}
		if n == 4 {
			return map[string]string{"name": parts[3]}
		}
	case "google_cloudfunctions2_function", "google_container_cluster":
		// projects/{project}/locations/{location}/functions/{name}
		if n == 6 {
			return map[string]string{"location": parts[3], "name": parts[5]}
		}
	case "google_sql_database":
		// projects/{project}/instances/{instance}/databases/{name}
		if n == 6 {
			return map[string]string{"instance": parts[3], "name": parts[5]}
		}
	case "google_sql_user":
		// {project}/{instance}/{name}; the name of an IAM user follows from
		// a service account's email, which offline is made up.
		if n >= 3 {
			return map[string]string{"instance": parts[1]}
		}
	case "google_container_node_pool":
		// {project}/{location}/{cluster}/{name}
		if n == 4 {
			return map[string]string{"location": parts[1], "name": parts[3]}
		}
	case "google_service_account":
		// projects/{project}/serviceAccounts/{email}
		if n == 4 {
			account, _, _ := strings.Cut(parts[3], "@")
			return map[string]string{"account_id": account}
		}
	case "google_storage_bucket":
		// {project}/{bucket} or {bucket}
		return map[string]string{"name": parts[n-1]}
	case "google_storage_bucket_object":
		// {bucket}/{name}
		bucket, name, ok := strings.Cut(id, "/")
		if ok {
			return map[string]string{"bucket": bucket, "name": name}
		}
	case "google_pubsub_topic_iam_member", "google_pubsub_subscription_iam_member", "google_cloud_run_v2_service_iam_member",
		"google_service_account_iam_member", "google_project_iam_member":
		// "{resource} {role} {member}[ {condition title}]"
		if f := strings.Fields(id); len(f) >= 3 {
			return map[string]string{"role": f[1]}
		}
	}
	return nil
}

// azureImported reads an Azure Resource Manager ID
// (/subscriptions/S/resourceGroups/G/providers/P/T/N[/T2/N2...]): the
// object's name is its last segment and its resource group the ID's, as
// the azurerm importers parse them. A role assignment's ID ends in a GUID
// under its scope; a key vault access policy's or a secret's is no ARM ID
// of that shape and determines nothing here.
func azureImported(typeName, id string) map[string]string {
	parts := strings.Split(strings.Trim(id, "/"), "/")
	if len(parts) < 4 || !strings.EqualFold(parts[0], "subscriptions") || !strings.EqualFold(parts[2], "resourceGroups") {
		return nil
	}
	if typeName == "azurerm_resource_group" {
		if len(parts) != 4 {
			return nil
		}
		return map[string]string{"name": parts[3]}
	}
	if len(parts) < 8 || len(parts)%2 != 0 || typeName == "azurerm_role_assignment" {
		return nil
	}
	return map[string]string{"name": parts[len(parts)-1], "resource_group_name": parts[3]}
}

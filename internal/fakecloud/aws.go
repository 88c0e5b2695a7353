package fakecloud

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// AWS is the AWS part of an inventory. Each item is written in the shape
// of the API's own response member, so an inventory reads like what the
// API returns.
type AWS struct {
	Region  string `json:"region"`
	Account string `json:"account"`
	// Queues: the queue's URL, its GetQueueAttributes attributes (QueueArn
	// is added) and its ListQueueTags tags.
	Queues []AWSQueue `json:"queues,omitempty"`
	// Functions: GetFunction responses (Configuration, Tags, Concurrency)
	// plus the function's URL configurations.
	Functions []AWSFunction `json:"functions,omitempty"`
	// EventSourceMappings: EventSourceMappingConfiguration objects.
	EventSourceMappings []map[string]any `json:"event_source_mappings,omitempty"`
	// Databases: DBInstance members of DescribeDBInstances.
	Databases []DBInstance `json:"databases,omitempty"`
	// Clusters: DescribeCluster's cluster and DescribeNodegroup's
	// node groups.
	Clusters []EKSCluster `json:"clusters,omitempty"`
	// The account as skyform doctor reads it (aws_doctor.go).
	AWSAccount
}

// AWSQueue is one SQS queue.
type AWSQueue struct {
	QueueURL   string            `json:"QueueUrl"`
	Attributes map[string]string `json:"Attributes"`
	Tags       map[string]string `json:"Tags,omitempty"`
}

func (q AWSQueue) name() string { return q.QueueURL[strings.LastIndex(q.QueueURL, "/")+1:] }

// AWSFunction is one Lambda function.
type AWSFunction struct {
	Configuration      map[string]any    `json:"Configuration"`
	Tags               map[string]string `json:"Tags,omitempty"`
	Concurrency        map[string]any    `json:"Concurrency,omitempty"`
	FunctionURLConfigs []map[string]any  `json:"FunctionUrlConfigs,omitempty"`
	// Code is the deployment package's files (path → content), served as
	// a zip at the Code.Location GetFunction gives.
	Code map[string]string `json:"Code,omitempty"`
}

func (f AWSFunction) name() string { s, _ := f.Configuration["FunctionName"].(string); return s }
func (f AWSFunction) arn() string  { s, _ := f.Configuration["FunctionArn"].(string); return s }

// DBInstance is the part of an RDS DBInstance the fake returns.
type DBInstance struct {
	DBInstanceIdentifier  string            `json:"DBInstanceIdentifier" xml:"DBInstanceIdentifier"`
	DBInstanceArn         string            `json:"DBInstanceArn" xml:"DBInstanceArn"`
	DBInstanceClass       string            `json:"DBInstanceClass" xml:"DBInstanceClass"`
	Engine                string            `json:"Engine" xml:"Engine"`
	EngineVersion         string            `json:"EngineVersion" xml:"EngineVersion"`
	DBInstanceStatus      string            `json:"DBInstanceStatus,omitempty" xml:"DBInstanceStatus,omitempty"`
	AllocatedStorage      int               `json:"AllocatedStorage" xml:"AllocatedStorage"`
	MaxAllocatedStorage   int               `json:"MaxAllocatedStorage,omitempty" xml:"MaxAllocatedStorage,omitempty"`
	MultiAZ               bool              `json:"MultiAZ" xml:"MultiAZ"`
	BackupRetentionPeriod int               `json:"BackupRetentionPeriod" xml:"BackupRetentionPeriod"`
	DeletionProtection    bool              `json:"DeletionProtection" xml:"DeletionProtection"`
	DBName                string            `json:"DBName,omitempty" xml:"DBName,omitempty"`
	MasterUsername        string            `json:"MasterUsername,omitempty" xml:"MasterUsername,omitempty"`
	Endpoint              *DBEndpoint       `json:"Endpoint,omitempty" xml:"Endpoint,omitempty"`
	MasterUserSecret      *DBSecret         `json:"MasterUserSecret,omitempty" xml:"MasterUserSecret,omitempty"`
	DBSubnetGroup         *DBSubnetGroup    `json:"DBSubnetGroup,omitempty" xml:"DBSubnetGroup,omitempty"`
	VpcSecurityGroups     []DBSecurityGroup `json:"VpcSecurityGroups,omitempty" xml:"VpcSecurityGroups>VpcSecurityGroupMembership,omitempty"`
	TagList               []DBTag           `json:"TagList,omitempty" xml:"TagList>Tag,omitempty"`
}

// DBEndpoint is an RDS endpoint.
type DBEndpoint struct {
	Address string `json:"Address" xml:"Address"`
	Port    int    `json:"Port" xml:"Port"`
}

// DBSecret is the Secrets Manager secret RDS keeps the password in.
type DBSecret struct {
	SecretArn    string `json:"SecretArn" xml:"SecretArn"`
	SecretStatus string `json:"SecretStatus,omitempty" xml:"SecretStatus,omitempty"`
}

// DBSubnetGroup names an RDS subnet group.
type DBSubnetGroup struct {
	DBSubnetGroupName string `json:"DBSubnetGroupName" xml:"DBSubnetGroupName"`
	VpcID             string `json:"VpcId,omitempty" xml:"VpcId,omitempty"`
}

// DBSecurityGroup is a VPC security group membership.
type DBSecurityGroup struct {
	VpcSecurityGroupID string `json:"VpcSecurityGroupId" xml:"VpcSecurityGroupId"`
	Status             string `json:"Status,omitempty" xml:"Status,omitempty"`
}

// DBTag is an RDS tag.
type DBTag struct {
	Key   string `json:"Key" xml:"Key"`
	Value string `json:"Value" xml:"Value"`
}

// EKSCluster is one EKS cluster with its node groups.
type EKSCluster struct {
	Cluster    map[string]any   `json:"cluster"`
	Nodegroups []map[string]any `json:"nodegroups,omitempty"`
}

func (c EKSCluster) name() string { s, _ := c.Cluster["name"].(string); return s }

// serveAWS answers an AWS API request; false when it is none.
func (s *Server) serveAWS(w http.ResponseWriter, r *http.Request) bool {
	p := r.URL.Path
	switch {
	case strings.HasPrefix(r.Header.Get("X-Amz-Target"), "AmazonSQS."):
		s.sqs(w, r, strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AmazonSQS."))
	case r.Method == http.MethodPost && p == "/" && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		s.query(w, r)
	case strings.HasPrefix(p, "/2015-03-31/") || strings.HasPrefix(p, "/2021-10-31/"):
		s.lambda(w, r)
	case strings.HasPrefix(p, "/clusters"):
		s.eks(w, r)
	case strings.HasPrefix(p, codePath):
		s.lambdaCode(w, r)
	default:
		return false
	}
	return true
}

func (s *Server) denyMessage(op string) string {
	return fmt.Sprintf("User: arn:aws:iam::%s:user/reader is not authorized to perform: %s on resource: * because no identity-based policy allows the %s action", s.inv.AWS.Account, op, op)
}

// SQS: the JSON protocol (awsJson1_0), query-compatible error codes in
// x-amzn-query-error.
func (s *Server) sqs(w http.ResponseWriter, r *http.Request, action string) {
	const ct = "application/x-amz-json-1.0"
	var in map[string]any
	json.NewDecoder(r.Body).Decode(&in)
	str := func(k string) string { v, _ := in[k].(string); return v }
	fail := func(status int, code, queryCode, msg string) {
		w.Header().Set("X-Amzn-Query-Error", queryCode+";Sender")
		writeJSON(w, status, ct, map[string]string{"__type": code, "message": msg})
	}
	switch s.fault("sqs:" + action) {
	case "deny":
		fail(http.StatusForbidden, "com.amazon.coral.service#AccessDeniedException", "AccessDenied", s.denyMessage("sqs:"+action))
		return
	case "throttle":
		fail(http.StatusBadRequest, "com.amazonaws.sqs#RequestThrottled", "RequestThrottled", "Request is throttled.")
		return
	}
	find := func() *AWSQueue {
		for i, q := range s.inv.AWS.Queues {
			if q.QueueURL == str("QueueUrl") {
				return &s.inv.AWS.Queues[i]
			}
		}
		return nil
	}
	switch action {
	case "ListQueues":
		var urls []string
		for _, q := range s.inv.AWS.Queues {
			if strings.HasPrefix(q.name(), str("QueueNamePrefix")) {
				urls = append(urls, q.QueueURL)
			}
		}
		items, next := page(urls, str("NextToken"), s.pageSize())
		out := map[string]any{"QueueUrls": items}
		if next != "" {
			out["NextToken"] = next
		}
		writeJSON(w, http.StatusOK, ct, out)
	case "GetQueueAttributes":
		q := find()
		if q == nil {
			fail(http.StatusBadRequest, "com.amazonaws.sqs#QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.")
			return
		}
		attrs := map[string]string{"QueueArn": fmt.Sprintf("arn:aws:sqs:%s:%s:%s", s.inv.AWS.Region, s.inv.AWS.Account, q.name())}
		for k, v := range q.Attributes {
			attrs[k] = v
		}
		writeJSON(w, http.StatusOK, ct, map[string]any{"Attributes": attrs})
	case "ListQueueTags":
		q := find()
		if q == nil {
			fail(http.StatusBadRequest, "com.amazonaws.sqs#QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.")
			return
		}
		writeJSON(w, http.StatusOK, ct, map[string]any{"Tags": q.Tags})
	default:
		fail(http.StatusBadRequest, "com.amazonaws.sqs#UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", "fakecloud does not serve "+action)
	}
}

// Lambda: REST-JSON, errors named in X-Amzn-ErrorType.
func (s *Server) lambda(w http.ResponseWriter, r *http.Request) {
	const ct = "application/json"
	fail := func(status int, code, msg string) {
		w.Header().Set("X-Amzn-ErrorType", code)
		writeJSON(w, status, ct, map[string]string{"Type": "User", "Message": msg})
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	q := r.URL.Query()
	var op string
	switch {
	case len(parts) == 2 && parts[1] == "functions":
		op = "ListFunctions"
	case len(parts) == 3 && parts[1] == "functions":
		op = "GetFunction"
	case len(parts) == 2 && parts[1] == "event-source-mappings":
		op = "ListEventSourceMappings"
	case len(parts) == 4 && parts[0] == "2021-10-31" && parts[3] == "urls":
		op = "ListFunctionUrlConfigs"
	default:
		fail(http.StatusNotFound, "ResourceNotFoundException", "fakecloud does not serve "+r.URL.Path)
		return
	}
	switch s.fault("lambda:" + op) {
	case "deny":
		fail(http.StatusForbidden, "AccessDeniedException", s.denyMessage("lambda:"+op))
		return
	case "throttle":
		w.Header().Set("Retry-After", "0")
		fail(http.StatusTooManyRequests, "TooManyRequestsException", "Rate exceeded")
		return
	}
	find := func(name string) *AWSFunction {
		name, _ = url.PathUnescape(name)
		for i, f := range s.inv.AWS.Functions {
			if f.name() == name || f.arn() == name {
				return &s.inv.AWS.Functions[i]
			}
		}
		return nil
	}
	switch op {
	case "ListFunctions":
		var cfgs []map[string]any
		for _, f := range s.inv.AWS.Functions {
			cfgs = append(cfgs, f.Configuration)
		}
		items, next := page(cfgs, q.Get("Marker"), s.pageSize())
		out := map[string]any{"Functions": items}
		if next != "" {
			out["NextMarker"] = next
		}
		writeJSON(w, http.StatusOK, ct, out)
	case "GetFunction":
		f := find(parts[2])
		if f == nil {
			fail(http.StatusNotFound, "ResourceNotFoundException", "Function not found: "+parts[2])
			return
		}
		out := map[string]any{"Configuration": f.Configuration, "Tags": f.Tags, "Code": map[string]any{"RepositoryType": "S3", "Location": s.URL + codePath + url.PathEscape(f.name()) + ".zip"}}
		if f.Concurrency != nil {
			out["Concurrency"] = f.Concurrency
		}
		writeJSON(w, http.StatusOK, ct, out)
	case "ListFunctionUrlConfigs":
		f := find(parts[2])
		if f == nil {
			fail(http.StatusNotFound, "ResourceNotFoundException", "Function not found: "+parts[2])
			return
		}
		items, next := page(f.FunctionURLConfigs, q.Get("Marker"), s.pageSize())
		out := map[string]any{"FunctionUrlConfigs": append([]map[string]any{}, items...)}
		if next != "" {
			out["NextMarker"] = next
		}
		writeJSON(w, http.StatusOK, ct, out)
	case "ListEventSourceMappings":
		var ms []map[string]any
		fn := q.Get("FunctionName")
		for _, m := range s.inv.AWS.EventSourceMappings {
			if f := find(fn); fn != "" && (f == nil || m["FunctionArn"] != f.arn()) {
				continue
			}
			ms = append(ms, m)
		}
		items, next := page(ms, q.Get("Marker"), s.pageSize())
		out := map[string]any{"EventSourceMappings": append([]map[string]any{}, items...)}
		if next != "" {
			out["NextMarker"] = next
		}
		writeJSON(w, http.StatusOK, ct, out)
	}
}

// codePath is where the fake serves deployment packages (Lambda's are
// pre-signed S3 URLs).
const codePath = "/fakecloud/lambda-code/"

func (s *Server) lambdaCode(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, codePath), ".zip")
	for _, f := range s.inv.AWS.Functions {
		if f.name() != name {
			continue
		}
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		paths := make([]string, 0, len(f.Code))
		for p := range f.Code {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		for _, p := range paths {
			fw, _ := zw.Create(p)
			io.WriteString(fw, f.Code[p])
		}
		zw.Close()
		w.Header().Set("Content-Type", "application/zip")
		w.Write(buf.Bytes())
		return
	}
	http.NotFound(w, r)
}

// RDS: the query protocol, answers in XML.
func (s *Server) rds(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	action := form.Get("Action")
	fail := func(status int, code, msg string) {
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		fmt.Fprintf(w, "<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>fake</RequestId></ErrorResponse>", code, xmlEscape(msg))
	}
	switch s.fault("rds:" + action) {
	case "deny":
		fail(http.StatusForbidden, "AccessDenied", s.denyMessage("rds:"+action))
		return
	case "throttle":
		fail(http.StatusBadRequest, "Throttling", "Rate exceeded")
		return
	}
	if action != "DescribeDBInstances" {
		fail(http.StatusBadRequest, "InvalidAction", "fakecloud does not serve "+action)
		return
	}
	items, next := page(s.inv.AWS.Databases, form.Get("Marker"), s.pageSize())
	type result struct {
		DBInstances []DBInstance `xml:"DBInstances>DBInstance"`
		Marker      string       `xml:"Marker,omitempty"`
	}
	type response struct {
		XMLName xml.Name `xml:"DescribeDBInstancesResponse"`
		Xmlns   string   `xml:"xmlns,attr"`
		Result  result   `xml:"DescribeDBInstancesResult"`
		Request string   `xml:"ResponseMetadata>RequestId"`
	}
	w.Header().Set("Content-Type", "text/xml")
	w.Write([]byte(xml.Header))
	xml.NewEncoder(w).Encode(response{Xmlns: "http://rds.amazonaws.com/doc/2014-10-31/", Result: result{items, next}, Request: "fake"})
}

func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// EKS: REST-JSON with camelCase members.
func (s *Server) eks(w http.ResponseWriter, r *http.Request) {
	const ct = "application/json"
	fail := func(status int, code, msg string) {
		w.Header().Set("X-Amzn-ErrorType", code)
		writeJSON(w, status, ct, map[string]string{"message": msg})
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	q := r.URL.Query()
	var op string
	switch len(parts) {
	case 1:
		op = "ListClusters"
	case 2:
		op = "DescribeCluster"
	case 3:
		op = "ListNodegroups"
	case 4:
		op = "DescribeNodegroup"
	}
	switch s.fault("eks:" + op) {
	case "deny":
		fail(http.StatusForbidden, "AccessDeniedException", s.denyMessage("eks:"+op))
		return
	case "throttle":
		fail(http.StatusTooManyRequests, "ThrottlingException", "Rate exceeded")
		return
	}
	var c *EKSCluster
	if len(parts) > 1 {
		for i := range s.inv.AWS.Clusters {
			if s.inv.AWS.Clusters[i].name() == parts[1] {
				c = &s.inv.AWS.Clusters[i]
			}
		}
		if c == nil {
			fail(http.StatusNotFound, "ResourceNotFoundException", "No cluster found for name: "+parts[1]+".")
			return
		}
	}
	list := func(key string, names []string) {
		sort.Strings(names)
		items, next := page(names, q.Get("nextToken"), s.pageSize())
		out := map[string]any{key: append([]string{}, items...)}
		if next != "" {
			out["nextToken"] = next
		}
		writeJSON(w, http.StatusOK, ct, out)
	}
	switch op {
	case "ListClusters":
		var names []string
		for _, c := range s.inv.AWS.Clusters {
			names = append(names, c.name())
		}
		list("clusters", names)
	case "DescribeCluster":
		writeJSON(w, http.StatusOK, ct, map[string]any{"cluster": c.Cluster})
	case "ListNodegroups":
		var names []string
		for _, ng := range c.Nodegroups {
			n, _ := ng["nodegroupName"].(string)
			names = append(names, n)
		}
		list("nodegroups", names)
	case "DescribeNodegroup":
		for _, ng := range c.Nodegroups {
			if ng["nodegroupName"] == parts[3] {
				writeJSON(w, http.StatusOK, ct, map[string]any{"nodegroup": ng})
				return
			}
		}
		fail(http.StatusNotFound, "ResourceNotFoundException", "No node group found for name: "+parts[3]+".")
	default:
		fail(http.StatusNotFound, "ResourceNotFoundException", "fakecloud does not serve "+r.URL.Path)
	}
}

// Command go-oracle reads aws-auth data keys the way aws-iam-authenticator's ConfigMap mapper does, with the real Go
// libraries (gopkg.in/yaml.v2, sigs.k8s.io/yaml, encoding/json, aws-sdk-go's arn.Parse, strings.ToLower/EqualFold),
// and prints what it read, so that rolemap's reader can be compared with it case by case.
//
// Input: one JSON object per line: {"mapRoles": "...", "mapUsers": "...", "mapAccounts": "...", "callers": ["arn:..."]}
// (a missing key is an absent data key). Output: one JSON object per input line, in order (see caseResult).
// Built and run by tests/RoleMap.Tests/AwsAuth/GoOracleDifferentialTests.cs; see docs/yaml.md.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"unicode"

	awsarn "github.com/aws/aws-sdk-go/aws/arn"
	yaml "gopkg.in/yaml.v2"
	sigsyaml "sigs.k8s.io/yaml"
)

// The authenticator's pkg/config types: field names and JSON tags are what decoding depends on.
type ssoMatcher struct {
	PermissionSetName string `json:"permissionSetName"`
	AccountID         string `json:"accountID"`
	Partition         string `json:"partition,omitempty"`
}

type roleMapping struct {
	RoleARN  string      `json:"rolearn,omitempty"`
	SSO      *ssoMatcher `json:"sso,omitempty"`
	Username string      `json:"username"`
	Groups   []string    `json:"groups"`
	UserID   string      `json:"userid,omitempty"`
}

type userMapping struct {
	UserARN  string   `json:"userarn"`
	Username string   `json:"username"`
	Groups   []string `json:"groups"`
	UserID   string   `json:"userid,omitempty"`
}

type input struct {
	MapRoles    *string  `json:"mapRoles"`
	MapUsers    *string  `json:"mapUsers"`
	MapAccounts *string  `json:"mapAccounts"`
	Callers     []string `json:"callers"`
}

// entry is one decoded list item: its fields after encoding/json, and the authenticator's Validate error.
type entry struct {
	Arn      string   `json:"arn"`
	Username string   `json:"username"`
	Groups   []string `json:"groups"`
	HasSso   bool     `json:"hasSso"`
	Invalid  string   `json:"invalid,omitempty"`
}

// listResult: ConvertError is set when YAML-to-JSON failed (every entry is dropped); DecodeError when encoding/json
// reported a type error (entries are still decoded, wrong-typed fields left empty).
type listResult struct {
	Present      bool    `json:"present"`
	Skipped      bool    `json:"skipped"`
	ConvertError string  `json:"convertError,omitempty"`
	DecodeError  string  `json:"decodeError,omitempty"`
	Entries      []entry `json:"entries"`
}

type accountsResult struct {
	Present bool     `json:"present"`
	Skipped bool     `json:"skipped"`
	Error   string   `json:"error,omitempty"`
	Items   []string `json:"items"`
}

// callerResult: how the mapper answers a caller. Candidates lists every entry that matches (Go ranges over a map,
// so with more than one the answer is random); Source is "mapRoles", "mapUsers", "mapAccounts" or "".
type callerResult struct {
	Arn        string   `json:"arn"`
	Failure    string   `json:"failure,omitempty"`
	Canonical  string   `json:"canonical"`
	Source     string   `json:"source"`
	Candidates int      `json:"candidates"`
	Username   string   `json:"username"`
	Groups     []string `json:"groups"`
}

type caseResult struct {
	MapRoles    listResult     `json:"mapRoles"`
	MapUsers    listResult     `json:"mapUsers"`
	MapAccounts accountsResult `json:"mapAccounts"`
	Callers     []callerResult `json:"callers"`
	Panic       string         `json:"panic,omitempty"`
}

func isSkippable(data string) bool {
	trimmed := strings.TrimSpace(data)
	return trimmed == "" || trimmed == "``" || trimmed == "\"\"" || trimmed == "''"
}

// toJSON is k8s.io/apimachinery/pkg/util/yaml.ToJSON: text that starts with '{' after Unicode white space is
// passed to encoding/json unchanged, anything else goes through sigs.k8s.io/yaml.
func toJSON(data []byte) ([]byte, error) {
	if bytes.HasPrefix(bytes.TrimLeftFunc(data, unicode.IsSpace), []byte("{")) {
		return data, nil
	}
	return sigsyaml.YAMLToJSON(data)
}

var accountIDPattern = regexp.MustCompile("^[0-9]{12}$")
var permissionSetPattern = regexp.MustCompile(`^[\w+=,.@-]{1,32}$`)
var partitions = []string{"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"}

func knownPartition(p string) bool {
	for _, known := range partitions {
		if p == known {
			return true
		}
	}
	return false
}

func validateRole(m roleMapping) string {
	if m.RoleARN == "" && m.SSO == nil {
		return "one of rolearn or SSO must be supplied"
	} else if m.RoleARN != "" && m.SSO != nil {
		return "only one of rolearn or SSO can be supplied"
	}
	if m.SSO != nil {
		if !accountIDPattern.MatchString(m.SSO.AccountID) {
			return fmt.Sprintf("AccountID '%s' is not a valid AWS Account ID", m.SSO.AccountID)
		}
		if !permissionSetPattern.MatchString(m.SSO.PermissionSetName) {
			return fmt.Sprintf("PermissionSetName '%s' is not a valid AWS SSO PermissionSet Name", m.SSO.PermissionSetName)
		}
		if m.SSO.Partition != "" && !knownPartition(m.SSO.Partition) {
			return fmt.Sprintf("partition '%s' is not a valid AWS partition", m.SSO.Partition)
		}
	}
	return ""
}

// readList is ParseMap for mapRoles or mapUsers: isSkippable, ToJSON, encoding/json into the authenticator's slice,
// then Validate on each entry (toEntry reports the entry and its Validate error).
func readList[T any](data *string, toEntry func(T) entry) (listResult, []T) {
	result := listResult{Entries: []entry{}}
	if data == nil {
		return result, nil
	}
	result.Present = true
	if isSkippable(*data) {
		result.Skipped = true
		return result, nil
	}
	raw := make([]T, 0)
	converted, err := toJSON([]byte(*data))
	if err != nil {
		result.ConvertError = err.Error()
		return result, nil
	}
	if err := json.Unmarshal(converted, &raw); err != nil {
		result.DecodeError = err.Error()
	}
	valid := make([]T, 0)
	for _, m := range raw {
		e := toEntry(m)
		result.Entries = append(result.Entries, e)
		if e.Invalid == "" {
			valid = append(valid, m)
		}
	}
	return result, valid
}

func roleEntry(m roleMapping) entry {
	return entry{Arn: m.RoleARN, Username: m.Username, Groups: m.Groups, HasSso: m.SSO != nil, Invalid: validateRole(m)}
}

func userEntry(m userMapping) entry {
	e := entry{Arn: m.UserARN, Username: m.Username, Groups: m.Groups}
	if m.UserARN == "" {
		e.Invalid = "value for userarn must be supplied"
	}
	return e
}

func readAccounts(data *string) accountsResult {
	result := accountsResult{Items: []string{}}
	if data == nil {
		return result
	}
	result.Present = true
	if isSkippable(*data) {
		result.Skipped = true
		return result
	}
	accounts := make([]string, 0)
	if err := yaml.Unmarshal([]byte(*data), &accounts); err != nil {
		result.Error = err.Error()
	}
	result.Items = accounts
	return result
}

// canonicalize is the authenticator's pkg/arn Canonicalize.
func canonicalize(arn string) (string, error) {
	parsed, err := awsarn.Parse(arn)
	if err != nil {
		return "", fmt.Errorf("arn '%s' is invalid: '%v'", arn, err)
	}
	if !knownPartition(parsed.Partition) {
		return "", fmt.Errorf("arn '%s' does not have a recognized partition", arn)
	}
	parts := strings.Split(parsed.Resource, "/")
	resource := parts[0]
	switch parsed.Service {
	case "sts":
		switch resource {
		case "federated-user":
			return arn, nil
		case "assumed-role":
			if len(parts) < 3 {
				return "", fmt.Errorf("assumed-role arn '%s' does not have a role", arn)
			}
			role := strings.Join(parts[1:len(parts)-1], "/")
			return fmt.Sprintf("arn:%s:iam::%s:role/%s", parsed.Partition, parsed.AccountID, role), nil
		default:
			return "", fmt.Errorf("unrecognized resource %s for service sts", parsed.Resource)
		}
	case "iam":
		switch resource {
		case "role", "user", "root":
			return arn, nil
		default:
			return "", fmt.Errorf("unrecognized resource %s for service iam", parsed.Resource)
		}
	}
	return "", fmt.Errorf("service %s in arn %s is not a valid service for identities", parsed.Service, arn)
}

// resolve follows MapStore.saveMap, ConfigMapMapper.Map and the server's mapAccounts fallback.
func resolve(arn string, roles []roleMapping, users []userMapping, accounts []string) callerResult {
	result := callerResult{Arn: arn, Groups: []string{}}
	canonical, err := canonicalize(arn)
	if err != nil {
		result.Failure = err.Error()
		return result
	}
	result.Canonical = canonical
	roleStore := map[string]roleMapping{}
	for _, r := range roles {
		key := strings.ToLower(r.RoleARN)
		if r.RoleARN == "" {
			continue // an SSO matcher; the SSORoleMatch feature gate is off by default
		}
		roleStore[key] = r
	}
	userStore := map[string]userMapping{}
	for _, u := range users {
		userStore[u.UserARN] = u
	}
	subject := strings.ToLower(canonical)
	var roleKeys []string
	for key, r := range roleStore {
		if strings.EqualFold(r.RoleARN, subject) {
			roleKeys = append(roleKeys, key)
		}
	}
	if len(roleKeys) > 0 {
		sort.Strings(roleKeys)
		chosen := roleStore[roleKeys[0]]
		result.Source, result.Candidates, result.Username, result.Groups = "mapRoles", len(roleKeys), chosen.Username, chosen.Groups
		return result
	}
	var userKeys []string
	for key, u := range userStore {
		if strings.EqualFold(u.UserARN, subject) {
			userKeys = append(userKeys, key)
		}
	}
	if len(userKeys) > 0 {
		sort.Strings(userKeys)
		chosen := userStore[userKeys[0]]
		result.Source, result.Candidates, result.Username, result.Groups = "mapUsers", len(userKeys), chosen.Username, chosen.Groups
		return result
	}
	parsed, _ := awsarn.Parse(canonical)
	for _, account := range accounts {
		if account == parsed.AccountID {
			result.Source, result.Candidates, result.Username = "mapAccounts", 1, canonical
			return result
		}
	}
	return result
}

func run(in input) (result caseResult) {
	defer func() {
		if r := recover(); r != nil {
			result.Panic = fmt.Sprint(r)
		}
	}()
	var roles []roleMapping
	var users []userMapping
	result.MapRoles, roles = readList(in.MapRoles, roleEntry)
	result.MapUsers, users = readList(in.MapUsers, userEntry)
	result.MapAccounts = readAccounts(in.MapAccounts)
	result.Callers = []callerResult{}
	for _, caller := range in.Callers {
		result.Callers = append(result.Callers, resolve(caller, roles, users, result.MapAccounts.Items))
	}
	return result
}

func main() {
	reader := bufio.NewReaderSize(os.Stdin, 1<<20)
	writer := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer writer.Flush()
	encoder := json.NewEncoder(writer)
	for {
		line, err := reader.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var in input
			if jsonErr := json.Unmarshal(line, &in); jsonErr != nil {
				fmt.Fprintln(os.Stderr, "go-oracle: bad input line:", jsonErr)
				os.Exit(2)
			}
			if encodeErr := encoder.Encode(run(in)); encodeErr != nil {
				fmt.Fprintln(os.Stderr, "go-oracle:", encodeErr)
				os.Exit(2)
			}
		}
		if err != nil {
			return
		}
	}
}

//! What the kinds and the well-known annotations mean, and where Backstage documents them: the
//! one table hover reads.

const DESCRIPTOR: &str = "https://backstage.io/docs/features/software-catalog/descriptor-format";
const ANNOTATIONS: &str =
    "https://backstage.io/docs/features/software-catalog/well-known-annotations";

/// (kind, what it is, anchor in the descriptor-format page)
const KINDS: &[(&str, &str, &str)] = &[
    (
        "Component",
        "A piece of software: a service, website, library or data pipeline, owned by a team and usually built from one repository.",
        "kind-component",
    ),
    (
        "API",
        "An interface a component provides or consumes (OpenAPI, AsyncAPI, GraphQL, gRPC), with its definition in `spec.definition`.",
        "kind-api",
    ),
    (
        "Resource",
        "Infrastructure a component needs at run time: a database, a bucket, a queue.",
        "kind-resource",
    ),
    (
        "System",
        "A collection of components, APIs and resources that together expose one capability.",
        "kind-system",
    ),
    (
        "Domain",
        "A business area grouping systems (and sub-domains).",
        "kind-domain",
    ),
    (
        "Group",
        "A team or organisational unit; owns entities, has members and a parent.",
        "kind-group",
    ),
    (
        "User",
        "A person, member of groups, who can own entities.",
        "kind-user",
    ),
    (
        "Location",
        "A pointer to more catalog files (`spec.targets`), read by the catalog to find entities.",
        "kind-location",
    ),
    (
        "Template",
        "A Software Template: parameters and steps that create a repository from a skeleton (scaffolder.backstage.io/v1beta3).",
        "kind-template",
    ),
];

/// (annotation key, what it means); the docs anchor is the key without `.` and `/`.
const ANNOTATION_KEYS: &[(&str, &str)] = &[
    (
        "backstage.io/managed-by-location",
        "The location the entity was read from; set by the catalog, not by hand.",
    ),
    (
        "backstage.io/managed-by-origin-location",
        "The location first registered that led to this entity; set by the catalog.",
    ),
    (
        "backstage.io/orphan",
        "Set by the catalog when no location produces the entity any more.",
    ),
    (
        "backstage.io/techdocs-ref",
        "Where TechDocs finds the documentation source (`dir:.` for the entity's own folder, or `url:`).",
    ),
    (
        "backstage.io/techdocs-entity",
        "Another entity whose TechDocs this entity shows (an entity reference).",
    ),
    (
        "backstage.io/view-url",
        "A URL to view the entity's source, shown as \"View source\".",
    ),
    (
        "backstage.io/edit-url",
        "A URL to edit the entity's catalog file, shown as \"Edit\".",
    ),
    (
        "backstage.io/source-location",
        "Where the entity's source code lives (`url:` followed by a repository URL).",
    ),
    (
        "backstage.io/source-template",
        "The Software Template the entity was created from (an entity reference).",
    ),
    (
        "backstage.io/kubernetes-id",
        "The value of the `backstage.io/kubernetes-id` label on the entity's Kubernetes objects.",
    ),
    (
        "backstage.io/kubernetes-namespace",
        "The Kubernetes namespace the entity's objects are in.",
    ),
    (
        "backstage.io/kubernetes-label-selector",
        "A label selector finding the entity's Kubernetes objects.",
    ),
    (
        "backstage.io/code-coverage",
        "Whether code coverage is reported for the entity (`enabled`, or `scm-only`).",
    ),
    (
        "github.com/project-slug",
        "The GitHub repository of the entity, as `owner/repo`.",
    ),
    (
        "github.com/team-slug",
        "The GitHub team a Group corresponds to, as `org/team`.",
    ),
    (
        "github.com/user-login",
        "The GitHub login a User corresponds to.",
    ),
    (
        "gitlab.com/project-slug",
        "The GitLab project of the entity, as `group/project`.",
    ),
    (
        "sonarqube.org/project-key",
        "The SonarQube project key of the entity.",
    ),
    (
        "pagerduty.com/integration-key",
        "The PagerDuty integration key of the entity's service.",
    ),
    (
        "pagerduty.com/service-id",
        "The PagerDuty service id of the entity.",
    ),
    (
        "jenkins.io/job-full-name",
        "The Jenkins job building the entity.",
    ),
    (
        "circleci.com/project-slug",
        "The CircleCI project of the entity.",
    ),
    (
        "lighthouse.com/website-url",
        "The website Lighthouse audits for the entity.",
    ),
];

/// Markdown explaining a kind (case-insensitive), with its docs URL.
pub fn kind(kind: &str) -> Option<String> {
    let (name, what, anchor) = KINDS
        .iter()
        .find(|(k, _, _)| k.eq_ignore_ascii_case(kind))?;
    Some(format!(
        "**kind {name}**\n\n{what}\n\n[Backstage: {name}]({DESCRIPTOR}#{anchor})"
    ))
}

/// Markdown explaining a well-known annotation key, with its docs URL.
pub fn annotation(key: &str) -> Option<String> {
    let (name, what) = ANNOTATION_KEYS.iter().find(|(k, _)| *k == key)?;
    let anchor: String = name.chars().filter(|c| !matches!(c, '.' | '/')).collect();
    Some(format!(
        "**{name}**\n\n{what}\n\n[Backstage: well-known annotations]({ANNOTATIONS}#{anchor})"
    ))
}

/// The kinds by name, for completion.
pub fn kind_names() -> impl Iterator<Item = &'static str> {
    KINDS.iter().map(|(k, _, _)| *k)
}

/// The well-known annotation keys, for completion.
pub fn annotation_keys() -> impl Iterator<Item = &'static str> {
    ANNOTATION_KEYS.iter().map(|(k, _)| *k)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_builtin_kind_is_explained() {
        for k in crate::catalog::kinds::KINDS {
            assert!(
                super::kind(k.kind).is_some(),
                "{} has no explanation",
                k.kind
            );
        }
    }

    #[test]
    fn an_annotation_links_to_its_anchor() {
        let text = super::annotation("backstage.io/techdocs-ref").unwrap();
        assert!(text.contains("well-known-annotations#backstageiotechdocs-ref"));
        assert!(super::annotation("example.com/unknown").is_none());
    }
}

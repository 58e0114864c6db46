//! Backstage's field-format rules (catalog-model 1.10.3 `KubernetesValidatorFunctions`,
//! `CommonValidatorFunctions`, `makeValidator`), written as plain character checks.

/// Limits and patterns that a configuration may override (see `FormatOverrides`).
#[derive(Debug, Clone)]
pub struct Formats {
    pub name_max: usize,
    pub name_pattern: Option<regex::Regex>,
    pub tag_max: usize,
    pub tag_pattern: Option<regex::Regex>,
    pub namespace_max: usize,
}

impl Default for Formats {
    fn default() -> Self {
        Formats {
            name_max: 63,
            name_pattern: None,
            tag_max: 63,
            tag_pattern: None,
            namespace_max: 63,
        }
    }
}

fn is_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

fn is_lower_alnum(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// `^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$` within `1..=max` characters.
pub fn is_object_name(value: &str, max: usize) -> bool {
    let len = value.chars().count();
    if len == 0 || len > max {
        return false;
    }
    let first = value.chars().next().is_some_and(is_alnum);
    let last = value.chars().last().is_some_and(is_alnum);
    first
        && last
        && value
            .chars()
            .all(|c| is_alnum(c) || matches!(c, '-' | '_' | '.'))
}

/// DNS label: `^[a-z0-9]+(?:-+[a-z0-9]+)*$`, 1..=63.
pub fn is_dns_label(value: &str, max: usize) -> bool {
    let len = value.len();
    if len == 0 || len > max || !value.is_ascii() {
        return false;
    }
    value.starts_with(is_lower_alnum)
        && value.ends_with(is_lower_alnum)
        && value.chars().all(|c| is_lower_alnum(c) || c == '-')
}

/// DNS subdomain: 1..=253, dot-separated DNS labels.
pub fn is_dns_subdomain(value: &str) -> bool {
    !value.is_empty() && value.len() <= 253 && value.split('.').all(|l| is_dns_label(l, 63))
}

/// `[prefix/]suffix`: one part is a suffix, two parts prefix and suffix, more is invalid.
fn is_prefix_and_or_suffix(
    value: &str,
    prefix: impl Fn(&str) -> bool,
    suffix: impl Fn(&str) -> bool,
) -> bool {
    let parts: Vec<&str> = value.split('/').collect();
    match parts.as_slice() {
        [s] => suffix(s),
        [p, s] => prefix(p) && suffix(s),
        _ => false,
    }
}

pub fn is_api_version(value: &str) -> bool {
    is_prefix_and_or_suffix(value, is_dns_subdomain, |s| {
        !s.is_empty() && s.len() <= 63 && s.chars().all(is_alnum)
    })
}

/// `^[a-zA-Z][a-z0-9A-Z]*$`, 1..=63.
pub fn is_kind(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 63
        && value.starts_with(|c: char| c.is_ascii_alphabetic())
        && value.chars().all(is_alnum)
}

/// Label and annotation keys: `[dnsSubdomain/]objectName`.
pub fn is_label_key(value: &str) -> bool {
    is_prefix_and_or_suffix(value, is_dns_subdomain, |s| is_object_name(s, 63))
}

pub fn is_label_value(value: &str) -> bool {
    value.is_empty() || is_object_name(value, 63)
}

/// `^[a-z0-9:+#]+(\-[a-z0-9:+#]+)*$` within `1..=max`.
pub fn is_tag(value: &str, max: usize) -> bool {
    let len = value.chars().count();
    if len == 0 || len > max {
        return false;
    }
    value.split('-').all(|w| {
        !w.is_empty()
            && w.chars()
                .all(|c| is_lower_alnum(c) || matches!(c, ':' | '+' | '#'))
    })
}

/// What `new URL(value)` accepts, approximated by the WHATWG parser of the `url` crate.
pub fn is_url(value: &str) -> bool {
    url::Url::parse(value).is_ok()
}

/// `typeof v === 'string' && v.trim().length >= 1`.
pub fn is_non_empty_string(value: &str) -> bool {
    !value.trim().is_empty()
}

impl Formats {
    pub fn name_ok(&self, value: &str) -> bool {
        match &self.name_pattern {
            Some(re) => value.chars().count() <= self.name_max && re.is_match(value),
            None => is_object_name(value, self.name_max),
        }
    }

    pub fn namespace_ok(&self, value: &str) -> bool {
        is_dns_label(value, self.namespace_max)
    }

    pub fn tag_ok(&self, value: &str) -> bool {
        match &self.tag_pattern {
            Some(re) => value.chars().count() <= self.tag_max && re.is_match(value),
            None => is_tag(value, self.tag_max),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for ok in ["a--b", "a._b", "A_B.c", "1", &"a".repeat(63)] {
            assert!(is_object_name(ok, 63), "{ok}");
        }
        for bad in ["-a", "a-", "ä", "", "my service!", &"a".repeat(64)] {
            assert!(!is_object_name(bad, 63), "{bad}");
        }
    }

    #[test]
    fn namespaces() {
        assert!(is_dns_label("a--b", 63));
        for bad in ["My", "a_b", "-a", "a-", ""] {
            assert!(!is_dns_label(bad, 63), "{bad}");
        }
    }

    #[test]
    fn tags() {
        for ok in ["c++", "c#", "k8s:prod", "java"] {
            assert!(is_tag(ok, 63), "{ok}");
        }
        for bad in ["Java", "go 1.15", "a--b", "-a", ""] {
            assert!(!is_tag(bad, 63), "{bad}");
        }
    }

    #[test]
    fn keys_and_versions() {
        assert!(is_label_key("example.com/tier"));
        assert!(is_label_key("tier"));
        for bad in [
            "a/b/c",
            "/x",
            "example.com/",
            "Example.COM/tier",
            "github.com/project slug",
        ] {
            assert!(!is_label_key(bad), "{bad}");
        }
        assert!(is_api_version("v1"));
        assert!(is_api_version("backstage.io/v1alpha1"));
        for bad in [
            "my_company.com/v1",
            "Backstage.io/v1",
            "backstage.io/v1alpha1/extra",
        ] {
            assert!(!is_api_version(bad), "{bad}");
        }
        assert!(is_kind("Component"));
        assert!(is_kind("component"));
        assert!(!is_kind("Com-ponent"));
    }

    #[test]
    fn urls() {
        assert!(is_url("https://example.com"));
        assert!(is_url("mailto:a@b.c"));
        assert!(is_url("slack://channel"));
        assert!(!is_url("not a url"));
        assert!(!is_url("./relative"));
    }
}

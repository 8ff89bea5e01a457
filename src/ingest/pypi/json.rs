//! Borrowing serde readers for the JSON that pypi-deps-db and the JSON API hold: strings
//! borrowed where they have no escapes, objects in file order, values left raw until needed,
//! and entries that may be aliases of other entries.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

/// A JSON string, borrowed from the input where it has no escapes.
#[derive(Deserialize)]
#[serde(transparent)]
pub(super) struct Text<'a>(#[serde(borrow)] pub(super) Cow<'a, str>);

/// A JSON object, its entries in file order.
pub(super) struct Object<'a, T>(pub(super) Vec<(Text<'a>, T)>);

impl<T> Object<'_, T> {
    pub(super) fn get(&self, key: &str) -> Option<&T> {
        self.0.iter().find(|(k, _)| k.0 == key).map(|(_, v)| v)
    }

    pub(super) fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.0.as_ref())
    }
}

impl<'de: 'a, 'a, T: Deserialize<'de>> Deserialize<'de> for Object<'a, T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<'a, T>(PhantomData<(&'a (), T)>);
        impl<'de: 'a, 'a, T: Deserialize<'de>> Visitor<'de> for Entries<'a, T> {
            type Value = Object<'a, T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Object(entries))
            }
        }
        deserializer.deserialize_map(Entries(PhantomData))
    }
}

/// An entry, or a string naming another entry that stands for it (an alias).
pub(super) enum Entry<'a, T> {
    Alias(Text<'a>),
    Data(T),
}

impl<'de: 'a, 'a, T: Deserialize<'de>> Deserialize<'de> for Entry<'a, T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Either<'a, T>(PhantomData<(&'a (), T)>);
        impl<'de: 'a, 'a, T: Deserialize<'de>> Visitor<'de> for Either<'a, T> {
            type Value = Entry<'a, T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object or an alias string")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Entry::Alias(Text(Cow::Borrowed(s))))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Entry::Alias(Text(Cow::Owned(s.to_string()))))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Entry::Data)
            }
        }
        deserializer.deserialize_any(Either(PhantomData))
    }
}

/// A JSON value left unparsed until it is needed.
pub(super) type Raw<'a> = &'a RawValue;

/// `raw` parsed as a `T`; the error says what was expected (its position, within `raw`, is
/// left out).
pub(super) fn parse<'a, T: Deserialize<'a>>(raw: Raw<'a>) -> Result<T, String> {
    serde_json::from_str(raw.get()).map_err(|e| {
        let message = e.to_string();
        message.split_once(" at line ").map_or(message.clone(), |(what, _)| what.to_string())
    })
}

/// The data of `entry`, or of the entry its alias names, found by `lookup` (an alias names an
/// entry, not another alias).
pub(super) fn resolve<'a, T: Deserialize<'a>>(
    entry: Entry<'a, T>,
    lookup: impl FnOnce(&str) -> Option<Raw<'a>>,
) -> Result<T, String> {
    match entry {
        Entry::Data(data) => Ok(data),
        Entry::Alias(alias) => match lookup(&alias.0).map(parse).transpose()? {
            Some(Entry::Data(data)) => Ok(data),
            _ => Err(format!("alias `{}` names no entry", alias.0)),
        },
    }
}

/// The entry of `key` in `object`, its alias followed.
pub(super) fn follow<'a, T: Deserialize<'a>>(object: &Object<'a, Raw<'a>>, key: &str) -> Result<T, String> {
    let raw = object.get(key).ok_or_else(|| format!("`{key}` has no entry"))?;
    resolve(parse(raw)?, |alias| object.get(alias).copied()).map_err(|e| format!("`{key}`: {e}"))
}

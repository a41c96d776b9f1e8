//! The key of what a page shows: its template context fed into a hasher by
//! a serde serializer that is not human-readable, so that rendered HTML
//! (`view::Html`) goes in as the key of the text it was rendered from rather
//! than as its bytes. Two contexts with the same key render the same page,
//! which is how `clause watch` skips pages whose inputs did not change.

use std::hash::{DefaultHasher, Hash, Hasher};

use serde::ser::{self, Serialize};

/// The key of `value`.
pub fn of<T: Serialize + ?Sized>(value: &T) -> u64 {
    let mut hasher = DefaultHasher::new();
    // Hashing cannot fail: every method returns Ok.
    let _ = value.serialize(KeyHasher(&mut hasher));
    hasher.finish()
}

/// Feeds each value, with a tag for its kind, into the hasher.
struct KeyHasher<'h>(&'h mut DefaultHasher);

/// Never produced: hashing cannot fail.
#[derive(Debug)]
pub struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("hashing failed")
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Never
    }
}

macro_rules! hash_value {
    ($($method:ident($type:ty) = $tag:literal;)*) => {
        $(fn $method(self, value: $type) -> Result<(), Never> {
            ($tag as u8, value).hash(self.0);
            Ok(())
        })*
    };
}

impl<'h> ser::Serializer for KeyHasher<'h> {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn is_human_readable(&self) -> bool {
        false
    }

    hash_value! {
        serialize_bool(bool) = 1;
        serialize_i8(i8) = 2;
        serialize_i16(i16) = 3;
        serialize_i32(i32) = 4;
        serialize_i64(i64) = 5;
        serialize_u8(u8) = 6;
        serialize_u16(u16) = 7;
        serialize_u32(u32) = 8;
        serialize_u64(u64) = 9;
        serialize_char(char) = 10;
        serialize_str(&str) = 11;
        serialize_bytes(&[u8]) = 12;
    }

    fn serialize_f32(self, value: f32) -> Result<(), Never> {
        (13u8, value.to_bits()).hash(self.0);
        Ok(())
    }

    fn serialize_f64(self, value: f64) -> Result<(), Never> {
        (14u8, value.to_bits()).hash(self.0);
        Ok(())
    }

    fn serialize_none(self) -> Result<(), Never> {
        15u8.hash(self.0);
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Never> {
        16u8.hash(self.0);
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Never> {
        17u8.hash(self.0);
        Ok(())
    }

    fn serialize_unit_struct(self, name: &'static str) -> Result<(), Never> {
        (18u8, name).hash(self.0);
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
    ) -> Result<(), Never> {
        (19u8, index).hash(self.0);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Never> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), Never> {
        (20u8, index).hash(self.0);
        value.serialize(self)
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self, Never> {
        (21u8, len).hash(self.0);
        Ok(self)
    }

    fn serialize_tuple(self, len: usize) -> Result<Self, Never> {
        (22u8, len).hash(self.0);
        Ok(self)
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Self, Never> {
        (23u8, len).hash(self.0);
        Ok(self)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        len: usize,
    ) -> Result<Self, Never> {
        (24u8, index, len).hash(self.0);
        Ok(self)
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self, Never> {
        (25u8, len).hash(self.0);
        Ok(self)
    }

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Self, Never> {
        (26u8, len).hash(self.0);
        Ok(self)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        len: usize,
    ) -> Result<Self, Never> {
        (27u8, index, len).hash(self.0);
        Ok(self)
    }
}

/// Elements, entries and fields go in one after another, each with its kind.
macro_rules! compound {
    ($($trait:ident :: $method:ident;)*) => {
        $(impl ser::$trait for KeyHasher<'_> {
            type Ok = ();
            type Error = Never;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Never> {
                value.serialize(KeyHasher(self.0))
            }
            fn end(self) -> Result<(), Never> {
                28u8.hash(self.0);
                Ok(())
            }
        })*
    };
}

compound! {
    SerializeSeq::serialize_element;
    SerializeTuple::serialize_element;
    SerializeTupleStruct::serialize_field;
    SerializeTupleVariant::serialize_field;
}

impl ser::SerializeMap for KeyHasher<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Never> {
        key.serialize(KeyHasher(self.0))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Never> {
        value.serialize(KeyHasher(self.0))
    }
    fn end(self) -> Result<(), Never> {
        28u8.hash(self.0);
        Ok(())
    }
}

macro_rules! fields {
    ($($trait:ident;)*) => {
        $(impl ser::$trait for KeyHasher<'_> {
            type Ok = ();
            type Error = Never;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                name: &'static str,
                value: &T,
            ) -> Result<(), Never> {
                name.hash(self.0);
                value.serialize(KeyHasher(self.0))
            }
            fn end(self) -> Result<(), Never> {
                28u8.hash(self.0);
                Ok(())
            }
        })*
    };
}

fields! {
    SerializeStruct;
    SerializeStructVariant;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Page<'a> {
        title: &'a str,
        items: Vec<Option<u32>>,
    }

    #[test]
    fn equal_values_have_equal_keys_and_any_difference_changes_it() {
        let page = |title, items| of(&Page { title, items });
        assert_eq!(
            page("A", vec![Some(1), None]),
            page("A", vec![Some(1), None])
        );
        assert_ne!(
            page("A", vec![Some(1), None]),
            page("B", vec![Some(1), None])
        );
        assert_ne!(
            page("A", vec![Some(1), None]),
            page("A", vec![None, Some(1)])
        );
        // Where one element ends and the next begins is part of the key.
        assert_ne!(of(&("ab", "c")), of(&("a", "bc")));
        assert_ne!(of(&vec![vec![1u8], vec![]]), of(&vec![vec![], vec![1u8]]));
    }
}

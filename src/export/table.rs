//! Typed tables and the formats they are written in. Every table keystone writes is declared
//! once as a row struct with the [`row!`](crate::row) macro: its fields give the columns, in
//! order, and their types ([`Cells`]); the same rows then go to CSV, JSON lines or Parquet
//! ([`Format`]), plain or compressed, so a column has one type whatever the data and the format.
//!
//! Types: integers (`Int`), floats (`Float`, printed in CSV with the column's fixed precision,
//! written in full in JSON and Parquet), booleans (`true`/`false`) and strings; a column of an
//! `Option` type is nullable: empty in CSV, `null` in JSON, null in Parquet.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Float64Builder, Int64Builder, StringBuilder};
use arrow_array::ArrayRef;
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::arrow_writer::{compute_leaves, ArrowColumnChunk, ArrowRowGroupWriterFactory};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression as ParquetCompression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use rayon::prelude::*;

use super::provenance::{Provenance, KEY};

/// A column's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// A signed 64-bit integer.
    Int,
    /// A 64-bit float.
    Float,
    /// `true` or `false`.
    Bool,
    /// UTF-8 text.
    Str,
}

impl Type {
    /// Its name in the docs' schema tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Type::Int => "integer",
            Type::Float => "float",
            Type::Bool => "boolean",
            Type::Str => "string",
        }
    }
}

/// One column of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Its name in the header, the JSON keys and the Parquet schema.
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// Whether a cell may be null (unknown).
    pub nullable: bool,
}

/// How a float is printed in CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// `{:.N}`.
    Fixed(usize),
    /// `{:.Ne}`: N significant digits after the first.
    Sci(usize),
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// Unknown.
    Null,
    /// An integer.
    Int(i64),
    /// A float and how CSV prints it.
    Float(f64, Precision),
    /// A boolean.
    Bool(bool),
    /// Text.
    Str(Cow<'a, str>),
}

/// A value that fills one or more columns of a row.
pub trait Cells {
    /// How many columns it fills.
    const WIDTH: usize = 1;
    /// The columns it fills; a one-column type names its column `name`.
    fn columns(name: &str) -> Vec<Column>;
    /// Appends its cells.
    fn push<'a>(&'a self, out: &mut Vec<Value<'a>>);
}

fn one(name: &str, ty: Type) -> Vec<Column> {
    vec![Column { name: name.to_string(), ty, nullable: false }]
}

macro_rules! int_cells {
    ($($t:ty),*) => {$(
        impl Cells for $t {
            fn columns(name: &str) -> Vec<Column> {
                one(name, Type::Int)
            }
            fn push<'a>(&'a self, out: &mut Vec<Value<'a>>) {
                out.push(Value::Int(*self as i64));
            }
        }
    )*};
}
int_cells!(u32, u64, usize, i64);

impl Cells for bool {
    fn columns(name: &str) -> Vec<Column> {
        one(name, Type::Bool)
    }
    fn push<'a>(&'a self, out: &mut Vec<Value<'a>>) {
        out.push(Value::Bool(*self));
    }
}

impl Cells for String {
    fn columns(name: &str) -> Vec<Column> {
        one(name, Type::Str)
    }
    fn push<'a>(&'a self, out: &mut Vec<Value<'a>>) {
        out.push(Value::Str(Cow::Borrowed(self)));
    }
}

impl Cells for &str {
    fn columns(name: &str) -> Vec<Column> {
        one(name, Type::Str)
    }
    fn push<'a>(&'a self, out: &mut Vec<Value<'a>>) {
        out.push(Value::Str(Cow::Borrowed(self)));
    }
}

/// A float printed in CSV with `N` decimals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fixed<const N: usize>(pub f64);

/// A float printed in CSV with `N` significant digits after the first (`1.534660e-1`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sci<const N: usize>(pub f64);

impl<const N: usize> Cells for Fixed<N> {
    fn columns(name: &str) -> Vec<Column> {
        one(name, Type::Float)
    }
    fn push<'a>(&'a self, out: &mut Vec<Value<'a>>) {
        out.push(Value::Float(self.0, Precision::Fixed(N)));
    }
}

impl<const N: usize> Cells for Sci<N> {
    fn columns(name: &str) -> Vec<Column> {
        one(name, Type::Float)
    }
    fn push<'a>(&'a self, out: &mut Vec<Value<'a>>) {
        out.push(Value::Float(self.0, Precision::Sci(N)));
    }
}

/// A nullable one-column value.
impl<T: Cells> Cells for Option<T> {
    fn columns(name: &str) -> Vec<Column> {
        T::columns(name).into_iter().map(|c| Column { nullable: true, ..c }).collect()
    }
    fn push<'a>(&'a self, out: &mut Vec<Value<'a>>) {
        match self {
            Some(v) => v.push(out),
            None => out.extend((0..T::WIDTH).map(|_| Value::Null)),
        }
    }
}

/// Declares a row struct whose fields are [`Cells`]: it gets `columns()`, the table's columns
/// in field order (a field of a row type contributes all of that row's columns), and
/// `values()`; and it is itself [`Cells`], so that one row can hold another.
#[macro_export]
macro_rules! row {
    ($(#[$meta:meta])* pub struct $name:ident $(<$lt:lifetime>)? { $($(#[$doc:meta])* pub $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug)]
        pub struct $name $(<$lt>)? { $($(#[$doc])* pub $field: $ty,)* }

        impl $(<$lt>)? $crate::export::table::Cells for $name $(<$lt>)? {
            const WIDTH: usize = 0 $(+ <$ty as $crate::export::table::Cells>::WIDTH)*;
            fn columns(_: &str) -> Vec<$crate::export::table::Column> {
                let mut columns = Vec::new();
                $(columns.extend(<$ty as $crate::export::table::Cells>::columns(stringify!($field)));)*
                columns
            }
            fn push<'v>(&'v self, out: &mut Vec<$crate::export::table::Value<'v>>) {
                $($crate::export::table::Cells::push(&self.$field, out);)*
            }
        }

        impl $(<$lt>)? $name $(<$lt>)? {
            /// The table's columns, in order.
            pub fn columns() -> Vec<$crate::export::table::Column> {
                <Self as $crate::export::table::Cells>::columns("")
            }
        }
    };
}

/// How a table is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Comma-separated, a header row, UTF-8.
    Csv,
    /// One JSON object per line.
    Jsonl,
    /// Apache Parquet, zstd-compressed inside.
    Parquet,
}

/// How a CSV or JSON-lines stream is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Not at all.
    None,
    /// gzip.
    Gzip,
    /// zstd.
    Zstd,
}

/// The format of an output: an encoding and a compression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    /// The encoding.
    pub encoding: Encoding,
    /// The compression (always `None` for Parquet, which compresses inside).
    pub compression: Compression,
}

impl Format {
    /// Plain CSV, the format of stdout unless told otherwise.
    pub const CSV: Format = Format { encoding: Encoding::Csv, compression: Compression::None };

    /// Every format, by its name, which is also the file extension that selects it.
    pub const ALL: [(&'static str, Format); 7] = [
        ("csv", Format::CSV),
        ("csv.gz", Format { encoding: Encoding::Csv, compression: Compression::Gzip }),
        ("csv.zst", Format { encoding: Encoding::Csv, compression: Compression::Zstd }),
        ("jsonl", Format { encoding: Encoding::Jsonl, compression: Compression::None }),
        ("jsonl.gz", Format { encoding: Encoding::Jsonl, compression: Compression::Gzip }),
        ("jsonl.zst", Format { encoding: Encoding::Jsonl, compression: Compression::Zstd }),
        ("parquet", Format { encoding: Encoding::Parquet, compression: Compression::None }),
    ];

    /// The format a file name's extension selects (`rank.csv.zst`), if any.
    pub fn from_path(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        // The longest extension that matches: `x.csv.gz` is gzip, not an unknown `.gz`.
        Format::ALL
            .iter()
            .filter(|(ext, _)| name.ends_with(&format!(".{ext}")))
            .max_by_key(|(ext, _)| ext.len())
            .map(|(_, f)| *f)
    }

    /// The format of a name (`csv`, `jsonl.zst`, `parquet`, …), if it is one.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }

    /// The names of every format, for messages.
    pub fn names() -> String {
        Format::ALL.map(|(n, _)| n).join(", ")
    }
}

/// A stream, maybe compressed; [`finish`](Compressed::finish) writes the compression's end.
enum Compressed<'a> {
    Plain(&'a mut dyn Write),
    Gzip(flate2::write::GzEncoder<&'a mut dyn Write>),
    Zstd(zstd::Encoder<'static, &'a mut dyn Write>),
}

impl<'a> Compressed<'a> {
    fn new(out: &'a mut dyn Write, compression: Compression) -> std::io::Result<Self> {
        Ok(match compression {
            Compression::None => Compressed::Plain(out),
            Compression::Gzip => Compressed::Gzip(flate2::write::GzEncoder::new(out, flate2::Compression::default())),
            Compression::Zstd => Compressed::Zstd(zstd::Encoder::new(out, 3)?),
        })
    }

    fn finish(self) -> std::io::Result<()> {
        match self {
            Compressed::Plain(out) => out.flush(),
            Compressed::Gzip(gz) => gz.finish()?.flush(),
            Compressed::Zstd(z) => z.finish()?.flush(),
        }
    }
}

impl Write for Compressed<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Compressed::Plain(out) => out.write(buf),
            Compressed::Gzip(gz) => gz.write(buf),
            Compressed::Zstd(z) => z.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Compressed::Plain(out) => out.flush(),
            Compressed::Gzip(gz) => gz.flush(),
            Compressed::Zstd(z) => z.flush(),
        }
    }
}

/// Rows buffered per Parquet row group.
pub(super) const ROW_GROUP: usize = 64 * 1024;

/// The columns of a Parquet row group being filled.
enum Builder {
    Int(Int64Builder),
    Float(Float64Builder),
    Bool(BooleanBuilder),
    Str(StringBuilder),
}

impl Builder {
    fn new(ty: Type) -> Builder {
        match ty {
            Type::Int => Builder::Int(Int64Builder::new()),
            Type::Float => Builder::Float(Float64Builder::new()),
            Type::Bool => Builder::Bool(BooleanBuilder::new()),
            Type::Str => Builder::Str(StringBuilder::new()),
        }
    }

    fn append(&mut self, value: &Value<'_>) {
        match (self, value) {
            (Builder::Int(b), Value::Int(v)) => b.append_value(*v),
            (Builder::Float(b), Value::Float(v, _)) => b.append_value(*v),
            (Builder::Bool(b), Value::Bool(v)) => b.append_value(*v),
            (Builder::Str(b), Value::Str(v)) => b.append_value(v),
            (Builder::Int(b), _) => b.append_null(),
            (Builder::Float(b), _) => b.append_null(),
            (Builder::Bool(b), _) => b.append_null(),
            (Builder::Str(b), _) => b.append_null(),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Int(b) => Arc::new(b.finish()),
            Builder::Float(b) => Arc::new(b.finish()),
            Builder::Bool(b) => Arc::new(b.finish()),
            Builder::Str(b) => Arc::new(b.finish()),
        }
    }
}

enum Sink<'a> {
    /// CSV or JSON lines, whose rows are encoded in parallel parts and written in order.
    Text(Encoding, Compressed<'a>),
    /// Parquet, whose row groups are encoded in parallel and written in order.
    Parquet {
        out: &'a mut dyn Write,
        writer: Box<SerializedFileWriter<Vec<u8>>>,
        groups: ArrowRowGroupWriterFactory,
        schema: Arc<Schema>,
    },
}

/// A table being written: [`rows`](TableWriter::rows) as often as needed, then
/// [`finish`](TableWriter::finish), without which the output is incomplete.
pub struct TableWriter<'a> {
    columns: Vec<Column>,
    sink: Sink<'a>,
}

/// Rows encoded as text by one thread at a time.
const PART: usize = 2048;

/// `v` with `digits` decimals, exactly as `format!("{v:.digits$}")` writes it: by integer
/// arithmetic where the scaled value is far enough from a rounding tie for its rounding to be
/// certain, which is nearly always (the standard formatter's exact path is slow for small
/// values); by the standard formatter otherwise.
fn fixed(out: &mut String, v: f64, digits: usize) -> &str {
    out.clear();
    let scale = 10f64.powi(digits as i32);
    let scaled = v * scale;
    let whole = scaled.trunc();
    if v.is_sign_positive() && scaled < 1e9 && ((scaled - whole) - 0.5).abs() > 1e-6 {
        let units = (whole as u64) + u64::from(scaled - whole > 0.5);
        let power = 10u64.pow(digits as u32);
        let _ = write!(out, "{}", units / power);
        if digits > 0 {
            let _ = write!(out, ".{:0digits$}", units % power);
        }
    } else {
        let _ = write!(out, "{v:.digits$}");
    }
    out
}

/// `rows` encoded as CSV or JSON lines.
fn encode<T: Cells>(encoding: Encoding, columns: &[Column], rows: &[T]) -> std::io::Result<Vec<u8>> {
    let mut values = Vec::with_capacity(columns.len());
    let mut each_row = |write: &mut dyn FnMut(&[Value<'_>]) -> std::io::Result<()>| {
        for row in rows {
            values.clear();
            row.push(&mut values);
            debug_assert_eq!(values.len(), columns.len(), "one value per column");
            write(&values)?;
        }
        Ok::<_, std::io::Error>(())
    };
    match encoding {
        Encoding::Csv => {
            let mut csv = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
            let mut number = String::new();
            each_row(&mut |values| csv_record(&mut csv, &mut number, values))?;
            csv.into_inner().map_err(|e| e.into_error())
        }
        Encoding::Jsonl => {
            let mut out = Vec::new();
            each_row(&mut |values| {
                // Keys in column order; serde_json writes the names and values.
                out.push(b'{');
                for (i, (column, value)) in columns.iter().zip(values).enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    serde_json::to_writer(&mut out, &column.name)?;
                    out.push(b':');
                    match value {
                        Value::Int(v) => serde_json::to_writer(&mut out, v)?,
                        Value::Float(v, _) if v.is_finite() => serde_json::to_writer(&mut out, v)?,
                        Value::Bool(v) => serde_json::to_writer(&mut out, v)?,
                        Value::Str(v) => serde_json::to_writer(&mut out, v.as_ref())?,
                        Value::Null | Value::Float(..) => out.extend_from_slice(b"null"),
                    }
                }
                out.extend_from_slice(b"}\n");
                Ok(())
            })?;
            Ok(out)
        }
        Encoding::Parquet => unreachable!("Parquet is not encoded as text"),
    }
}

/// Writes one CSV record of `values`, formatting numbers in `number`.
fn csv_record(csv: &mut csv::Writer<Vec<u8>>, number: &mut String, values: &[Value<'_>]) -> std::io::Result<()> {
    for value in values {
        match value {
            Value::Null => csv.write_field("")?,
            Value::Int(v) => csv.write_field(itoa::Buffer::new().format(*v))?,
            Value::Float(v, Precision::Fixed(n)) => csv.write_field(fixed(number, *v, *n))?,
            Value::Float(v, Precision::Sci(n)) => csv.write_field(sci(number, *v, *n))?,
            Value::Bool(v) => csv.write_field(if *v { "true" } else { "false" })?,
            Value::Str(v) => csv.write_field(v.as_bytes())?,
        }
    }
    csv.write_record(None::<&[u8]>)?;
    Ok(())
}

/// `v` with `digits` digits after the first significant one, exactly as
/// `format!("{v:.digits$e}")` writes it: by integer arithmetic where the scaled value is far
/// enough from a rounding tie and has at most 9 digits, as [`fixed`] does; by the standard
/// formatter otherwise.
fn sci(out: &mut String, v: f64, digits: usize) -> &str {
    out.clear();
    if v.is_finite() && v > 0.0 && digits <= 8 {
        let mut exponent = v.log10().floor() as i32;
        let scaled = |exponent: i32| v * 10f64.powi(digits as i32 - exponent);
        let power = 10u64.pow(digits as u32) as f64;
        // log10 may be off by one near powers of ten.
        if scaled(exponent) >= 10.0 * power {
            exponent += 1;
        } else if scaled(exponent) < power {
            exponent -= 1;
        }
        let scaled = scaled(exponent);
        let whole = scaled.trunc();
        if (power..10.0 * power).contains(&whole) && ((scaled - whole) - 0.5).abs() > 1e-6 {
            let mut units = whole as u64 + u64::from(scaled - whole > 0.5);
            if units as f64 >= 10.0 * power {
                // Rounded up to the next power of ten.
                units /= 10;
                exponent += 1;
            }
            let mut text = itoa::Buffer::new();
            let text = text.format(units);
            out.push_str(&text[..1]);
            if digits > 0 {
                out.push('.');
                out.push_str(&text[1..]);
            }
            let _ = write!(out, "e{exponent}");
            return out;
        }
    }
    let _ = write!(out, "{v:.digits$e}");
    out
}

fn parquet_error(e: parquet::errors::ParquetError) -> std::io::Error {
    std::io::Error::other(e)
}

impl<'a> TableWriter<'a> {
    /// Starts a table of `columns` in `format` on `out` (the CSV header is written at once); a
    /// Parquet file carries `provenance` in its key-value metadata.
    pub fn new(
        format: Format,
        columns: Vec<Column>,
        provenance: Option<&Provenance>,
        out: &'a mut dyn Write,
    ) -> std::io::Result<Self> {
        let sink = match format.encoding {
            Encoding::Csv => {
                let mut out = Compressed::new(out, format.compression)?;
                let header: Vec<Value<'_>> =
                    columns.iter().map(|c| Value::Str(Cow::Borrowed(c.name.as_str()))).collect();
                let mut csv = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
                csv_record(&mut csv, &mut String::new(), &header)?;
                out.write_all(&csv.into_inner().map_err(|e| e.into_error())?)?;
                Sink::Text(Encoding::Csv, out)
            }
            Encoding::Jsonl => Sink::Text(Encoding::Jsonl, Compressed::new(out, format.compression)?),
            Encoding::Parquet => {
                let fields: Vec<Field> = columns
                    .iter()
                    .map(|c| {
                        let ty = match c.ty {
                            Type::Int => DataType::Int64,
                            Type::Float => DataType::Float64,
                            Type::Bool => DataType::Boolean,
                            Type::Str => DataType::Utf8,
                        };
                        Field::new(&c.name, ty, c.nullable)
                    })
                    .collect();
                let schema = Arc::new(Schema::new(fields));
                let props = WriterProperties::builder()
                    .set_compression(ParquetCompression::ZSTD(ZstdLevel::default()))
                    .set_created_by(format!("keystone {}", env!("CARGO_PKG_VERSION")))
                    .set_key_value_metadata(provenance.map(|p| vec![KeyValue::new(KEY.to_string(), p.to_json())]))
                    .build();
                // The Arrow writer sets the file up (the Arrow schema in its metadata); its parts
                // write the row groups.
                let writer = ArrowWriter::try_new(Vec::new(), schema.clone(), Some(props)).map_err(parquet_error)?;
                let (writer, factory) = writer.into_serialized_writer().map_err(parquet_error)?;
                Sink::Parquet { out, writer: Box::new(writer), groups: factory, schema }
            }
        };
        Ok(TableWriter { columns, sink })
    }

    /// Writes `rows`, each with one value per column, of the column's type, or `Null` where
    /// nullable.
    pub fn rows<T: Cells + Sync>(&mut self, rows: &[T]) -> std::io::Result<()> {
        match &mut self.sink {
            Sink::Text(encoding, out) => {
                let encoding = *encoding;
                let columns = &self.columns;
                let parts: Vec<std::io::Result<Vec<u8>>> =
                    rows.par_chunks(PART).map(|part| encode(encoding, columns, part)).collect();
                for part in parts {
                    out.write_all(&part?)?;
                }
            }
            Sink::Parquet { writer, groups, schema, .. } => {
                let first = writer.flushed_row_groups().len();
                let encoded: Vec<parquet::errors::Result<Vec<ArrowColumnChunk>>> = rows
                    .par_chunks(ROW_GROUP)
                    .enumerate()
                    .map(|(i, group)| encode_group(groups, first + i, schema, &self.columns, group))
                    .collect();
                for chunks in encoded {
                    write_group(writer, chunks)?;
                }
            }
        }
        Ok(())
    }

    /// Ends the table: flushes, and writes what the compression or the format needs at the end.
    pub fn finish(self) -> std::io::Result<()> {
        match self.sink {
            Sink::Text(_, out) => out.finish(),
            Sink::Parquet { out, mut writer, groups, schema } => {
                // An empty table still has one (empty) row group.
                if writer.flushed_row_groups().is_empty() {
                    write_group(&mut writer, encode_group::<bool>(&groups, 0, &schema, &self.columns, &[]))?;
                }
                out.write_all(&writer.into_inner().map_err(parquet_error)?)?;
                out.flush()
            }
        }
    }
}

/// The columns of row group `index`, holding `rows`, encoded; `schema` is `columns` in Arrow's terms.
fn encode_group<T: Cells>(
    groups: &ArrowRowGroupWriterFactory,
    index: usize,
    schema: &Schema,
    columns: &[Column],
    rows: &[T],
) -> parquet::errors::Result<Vec<ArrowColumnChunk>> {
    let mut builders: Vec<Builder> = columns.iter().map(|c| Builder::new(c.ty)).collect();
    let mut values = Vec::with_capacity(columns.len());
    for row in rows {
        values.clear();
        row.push(&mut values);
        builders.iter_mut().zip(&values).for_each(|(b, v)| b.append(v));
    }
    // Every column is flat, so each has one leaf and one encoder.
    let encoders = groups.create_column_writers(index)?;
    encoders
        .into_iter()
        .zip(builders.iter_mut().zip(schema.fields().iter()))
        .map(|(mut encoder, (builder, field))| {
            for leaf in compute_leaves(field, &builder.finish())? {
                encoder.write(&leaf)?;
            }
            encoder.close()
        })
        .collect()
}

/// Appends an encoded row group to the file.
fn write_group(
    writer: &mut SerializedFileWriter<Vec<u8>>,
    chunks: parquet::errors::Result<Vec<ArrowColumnChunk>>,
) -> std::io::Result<()> {
    let mut group = writer.next_row_group().map_err(parquet_error)?;
    for chunk in chunks.map_err(parquet_error)? {
        chunk.append_to_row_group(&mut group).map_err(parquet_error)?;
    }
    group.close().map_err(parquet_error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{fixed, sci};

    proptest! {
        #[test]
        fn fixed_decimals_are_those_of_the_standard_formatter(
            v in prop_oneof![0.0..1.0f64, 0.0..1e9f64, (0u64..10_000_000).prop_map(|k| k as f64 / 2e6)],
            digits in 0usize..=8,
        ) {
            let mut out = String::new();
            prop_assert_eq!(fixed(&mut out, v, digits), format!("{v:.digits$}"));
        }
    }

    proptest! {
        #[test]
        fn scientific_digits_are_those_of_the_standard_formatter(
            v in prop_oneof![1e-12..1.0f64, 0.0..1e9f64, (1u64..10_000_000).prop_map(|k| k as f64 * 1e-9)],
            digits in 0usize..=8,
        ) {
            let mut out = String::new();
            prop_assert_eq!(sci(&mut out, v, digits), format!("{v:.digits$e}"));
        }
    }

    #[test]
    fn scientific_digits_at_ties_and_edges() {
        for v in
            [0.0, -0.0, 1.0, 9.9999995, 9.99999949, 0.1, 1e-300, 5e-324, 1e300, f64::MAX, -2.5, f64::NAN, f64::INFINITY]
        {
            for digits in [0, 1, 6, 15] {
                let mut out = String::new();
                assert_eq!(sci(&mut out, v, digits), format!("{v:.digits$e}"), "{v} to {digits}");
            }
        }
    }

    #[test]
    fn fixed_decimals_at_ties_and_edges() {
        for v in [
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            0.0000005,
            0.0000015,
            0.9999995,
            0.99999949,
            1e9,
            1e12,
            -1.25,
            f64::NAN,
            f64::INFINITY,
        ] {
            for digits in [0, 1, 4, 6] {
                let mut out = String::new();
                assert_eq!(fixed(&mut out, v, digits), format!("{v:.digits$}"), "{v} to {digits}");
            }
        }
    }
}

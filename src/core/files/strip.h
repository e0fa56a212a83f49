// Removes metadata from photos before anything is stored or served: EXIF (with GPS), XMP, IPTC,
// comments and text chunks. JPEG keeps only the segments needed to decode (APP0 JFIF, APP14
// Adobe, APP2 ICC profile, tables, frames and the scan); PNG drops eXIf/tEXt/zTXt/iTXt/tIME;
// WebP drops its EXIF and XMP chunks and clears their flags. The pixels are never re-encoded.
// Throws sx::Error (kInvalidArgument) when the bytes are not a well-formed image of that type.
#pragma once
#include <string>
#include <string_view>

namespace sx::files {

std::string StripMetadata(std::string_view bytes, std::string_view content_type);

}  // namespace sx::files

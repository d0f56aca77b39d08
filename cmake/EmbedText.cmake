# cmake -DINPUT=<file> -DOUTPUT=<header> -P EmbedText.cmake
#
# Writes a header defining `kEmbeddedText`, the bytes of INPUT as a string
# (a raw string literal, so the file needs no escaping).
file(READ ${INPUT} text)
get_filename_component(name ${INPUT} NAME)
file(WRITE ${OUTPUT}
  "// Generated from ${name} by cmake/EmbedText.cmake: do not edit.\n"
  "static const char kEmbeddedText[] = R\"mlc_embed(${text})mlc_embed\";\n")

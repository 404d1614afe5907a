{
  "targets": [
    {
      "target_name": "lamina_deflate",
      "sources": ["src/deflate.c"],
      "libraries": ["-ldeflate"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}

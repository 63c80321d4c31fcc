# frozen_string_literal: true

# jekyll-renderlink.gemspec - renderlink's Jekyll plugin as a gem: before
# Jekyll reads the site, `renderlink sync` puts one link per referenced
# render in place.  The gem holds only the plugin (lib/, the same file as
# hook/renderlink.rb); renderlink itself is installed with `make install`.
#
#   gem build jekyll-renderlink.gemspec   (here, offline), or `make gem`,
#   which builds into the build folder with the bindir written in.
#
# The version is renderlink's (src/version.h).  `make gem` builds from a
# copy of this folder and writes the version there as VERSION.

here = __dir__
version_file = File.join(here, "VERSION")
version = if File.file?(version_file)
            File.read(version_file).strip
          else
            File.read(File.expand_path("../src/version.h", here))[
              /^#define\s+RENDERLINK_VERSION\s+"([^"]+)"/, 1
            ]
          end
raise "jekyll-renderlink.gemspec: no version in src/version.h" unless version

Gem::Specification.new do |s|
  s.name = "jekyll-renderlink"
  s.version = version
  s.summary = "Runs renderlink sync before every Jekyll build"
  s.description = <<~TEXT
    A Jekyll plugin for renderlink, the tool that keeps one symlink per
    referenced media render in a Jekyll site.  Before Jekyll reads the
    site (each build, and each rebuild under serve --watch) it runs
    `renderlink sync`, so the links match the pages: Jekyll aborts on a
    link whose render is gone.  It needs the renderlink program
    (make install), found through renderlink.bin in _config.yml,
    $RENDERLINK, PATH or the bindir it was built for.
  TEXT
  s.authors = ["renderlink authors"]
  s.files = ["lib/jekyll-renderlink.rb"]
  s.require_paths = ["lib"]
  s.required_ruby_version = ">= 2.7"
  s.add_runtime_dependency "jekyll", ">= 4.0", "< 5.0"
end

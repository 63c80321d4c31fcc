# frozen_string_literal: true

# jekyll-renderlink.rb - a Jekyll plugin that runs `renderlink sync`
# before Jekyll reads the site, so the links to the renders are in place
# (and stale ones gone: Jekyll aborts on a dangling link) when the tree
# is read.
#
# One file, three ways in: the gem jekyll-renderlink (this is its lib;
# the Gemfile's group :jekyll_plugins, or `plugins: [jekyll-renderlink]`
# in _config.yml), a copy in the site's _plugins/ (hook/renderlink.rb in
# renderlink's source is a symlink to this file; `make install` puts a
# copy in share/renderlink/renderlink.rb), or a symlink there to either.
# Loaded twice (the gem and a _plugins/ copy), the first one loaded runs
# and the second only says so.
#
# The binary is `renderlink.bin` from _config.yml if set (a path relative
# to the site, or a name on PATH), else $RENDERLINK, else `renderlink` on
# PATH, else the one beside this file: the bindir relative to it in the
# copy `make install` put in share/renderlink, or, loaded from
# renderlink's source tree, that tree's build/renderlink; else the bindir
# it was built for (BINDIR below; /usr/local/bin unless `make install` or
# `make gem` was told otherwise).  The sync is told what this build renders
# (--drafts, --unpublished, --future, as the site has them).  A failed
# sync fails the build, unless RENDERLINK_CONTINUE=1 is set in the
# environment.
#
# Why these hooks: :site, :after_init and :site, :after_reset are the only
# points that run before the site is read.  after_init runs once per
# process, after_reset before every (re)build under `jekyll serve --watch`;
# a build runs both, back to back, so the after_reset right after
# after_init is skipped.  Loaded as a gem (before the site exists) the
# plugin also sees the reset inside Site#initialize, before after_init:
# the site has no generators yet then, and that one is skipped too, so a
# build syncs once (measured: twice without it).  A sync with nothing to
# do writes nothing, so it cannot wake jekyll-watch and loop.
#
# In safe mode (--safe, GitHub Pages) Jekyll does not load _plugins/ at
# all; when this file is loaded another way (a whitelisted gem) it does
# nothing, as Jekyll would drop links that point outside the site anyway.

if defined?(RenderlinkHook::FILE)
  Jekyll.logger.warn "renderlink:", "#{__FILE__} not loaded: the plugin " \
                     "is already loaded from #{RenderlinkHook::FILE}"
  return
end

require "open3"

module RenderlinkHook
  class SyncError < StandardError; end

  # The site has been synced by after_init and not read since.
  FRESH = :@renderlink_hook_fresh
  FILE = __FILE__

  # The bindir renderlink was installed to, and (only in the copy `make
  # install` puts in share/renderlink) that bindir relative to this file's
  # folder, so a staged or moved install tree finds its own renderlink.
  # `make install` and `make gem` rewrite these two lines.
  BINDIR = "/usr/local/bin"
  BINDIR_FROM_HERE = nil

  module_function

  # The renderlink to run (see the top of the file); "renderlink" when
  # none is found, for the error to name.  renderlink.bin is a path relative to the site (or ~/...), or a name
  # looked up on PATH (by Open3, as given).
  def binary(site)
    conf = site.config["renderlink"]
    bin = conf["bin"].to_s if conf.is_a?(Hash)
    if bin && !bin.empty?
      return bin unless bin.include?("/") || bin.start_with?("~")

      return File.expand_path(bin, site.source)
    end
    bin = ENV["RENDERLINK"].to_s
    return bin unless bin.empty?

    found = fallbacks.find { |f| program?(f) }
    found || "renderlink"
  end

  def program?(file)
    File.file?(file) && File.executable?(file)
  end

  # PATH, then beside this file (installed, or a source tree), then BINDIR.
  def fallbacks
    dirs = ENV["PATH"].to_s.split(File::PATH_SEPARATOR).map do |d|
      d.empty? ? "." : d
    end
    here = begin
      File.dirname(File.realpath(__FILE__))
    rescue SystemCallError
      File.dirname(File.expand_path(__FILE__))
    end
    if BINDIR_FROM_HERE
      dirs << File.expand_path(BINDIR_FROM_HERE, here)
    else
      # gem/lib/ in renderlink's source (hook/renderlink.rb links here).
      dirs << File.expand_path("../../build", here)
    end
    dirs << BINDIR if BINDIR
    dirs.map { |d| File.join(d, "renderlink") }
  end

  # Jekyll reads --config files relative to the current folder; renderlink
  # reads them relative to the site root, so they are passed absolute.
  def config_args(site)
    files = Array(site.config["config"]).map(&:to_s).reject(&:empty?)
    return [] if files.empty?

    ["--config", files.map { |f| File.expand_path(f) }.join(",")]
  end

  # Which pages Jekyll renders: drafts only with show_drafts, pages with
  # `published: false` only with unpublished, pages dated later than now
  # only with future.  Site#config= sets these (from _config.yml and the
  # --drafts/-D, --unpublished, --future flags) before :after_init, and
  # Jekyll tests them for Ruby truthiness: renderlink is told the same, so
  # it links the renders of exactly the pages this build renders.
  def publish_args(site)
    args = []
    args << "--drafts" if site.show_drafts
    args << "--unpublished" if site.unpublished
    args << "--future" if site.future
    args
  end

  def fail_or_continue(message)
    if ENV["RENDERLINK_CONTINUE"] == "1"
      Jekyll.logger.warn "renderlink:", "#{message} (continuing: " \
                         "RENDERLINK_CONTINUE=1)"
      return
    end
    Jekyll.logger.error "renderlink:", message
    raise SyncError, "renderlink: #{message}"
  end

  def sync(site)
    if site.safe
      Jekyll.logger.warn "renderlink:", "skipped in safe mode (links that " \
                         "point outside the site are not published there)"
      return
    end
    argv = [binary(site), "-C", site.source, *config_args(site), "sync",
            *publish_args(site)]
    Jekyll.logger.debug "renderlink:", argv.inspect
    begin
      out, err, status = Open3.capture3(*argv, :stdin_data => "")
    rescue SystemCallError => e
      why = e.message.sub(/ - #{Regexp.escape(argv[0])}\z/, "")
      return fail_or_continue("cannot run #{argv[0]}: #{why} (install " \
                              "renderlink, or set renderlink.bin in " \
                              "_config.yml or RENDERLINK)")
    end
    out.each_line { |l| Jekyll.logger.info "renderlink:", l.chomp }
    level = status.success? ? :warn : :error
    err.each_line { |l| Jekyll.logger.public_send(level, "renderlink:", l.chomp) }
    return if status.success?

    code = status.exitstatus || "signal #{status.termsig}"
    fail_or_continue("sync failed (exit #{code}); fix the problems above")
  end
end

Jekyll::Hooks.register :site, :after_init do |site|
  site.instance_variable_set(RenderlinkHook::FRESH, true)
  RenderlinkHook.sync(site)
end

Jekyll::Hooks.register :site, :after_reset do |site|
  if site.generators.nil?
    nil # Site#initialize's own reset: after_init follows, and syncs
  elsif site.instance_variable_get(RenderlinkHook::FRESH)
    site.instance_variable_set(RenderlinkHook::FRESH, false)
  else
    RenderlinkHook.sync(site)
  end
end

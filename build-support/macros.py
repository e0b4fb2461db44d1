# Pants BUILD-file macros: pants.toml [GLOBAL].build_file_prelude_globs makes every name
# defined here visible in every BUILD file. Not an importable module: `docker_image` is
# Pants' own target type, in scope when Pants evaluates this file.


def eco2_image(name, source, **kwargs):
    """The image of one deployable: repository `eco2/<name>`, tagged "<DEPLOY_ENV>-<TRACK>".

    The tag comes from here and nowhere else: both values are read from the environment
    of `./pants package`/`publish`, defaulting to the ARG values in the Dockerfile (dev,
    stable). So `DEPLOY_ENV=prod TRACK=canary ./pants package k8s/images/auth:auth-api`
    builds eco2/auth-api:prod-canary, the tag k8s/overlays/prod gives the canary
    Deployment. Other fields (`dependencies`, ...) pass through to `docker_image`.
    """
    docker_image(
        name=name,
        source=source,
        repository=f"eco2/{name}",
        image_tags=["{build_args.DEPLOY_ENV}-{build_args.TRACK}"],
        extra_build_args=["DEPLOY_ENV", "TRACK"],
        **kwargs,
    )

"""`python -m cloudtower`: the `cloudtower` command (see `cloudtower.cli`)."""
from cloudtower.cli import run

if __name__ == "__main__":
    run()

"""Flask extensions as bare objects; `create_app` binds them to an app."""

from typing import TYPE_CHECKING

from flask_limiter import Limiter
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_principal import Principal
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from review_app.core.inputs import client_network
from review_app.core.models import Base

db = SQLAlchemy(model_class=Base)
# The base class of every model. mypy cannot take a base class from an attribute of an
# instance (`db.Model`), so it checks the models against the declarative base they share.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate(compare_type=True, render_as_batch=True)
csrf = CSRFProtect()
login_manager = LoginManager()
mailer = Mail()  # Flask-Mailman; messages are composed and queued in review_app/mail
principal = Principal(use_sessions=False, skip_static=True)
# Keyed by the client's address (behind PROXY_COUNT proxies, X-Forwarded-For's last hops).
limiter = Limiter(key_func=client_network, strategy="moving-window")

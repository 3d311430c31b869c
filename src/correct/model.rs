//! What the correction rules consult beyond the lexicon: the error
//! [`Profile`] (which candidate sources run) and the OCR [`Channel`] (the
//! embedded one, or one a user learned from their own OCR pairs with
//! `zhclean train-channel`).

use super::confusion::Channel;
use std::sync::{Arc, OnceLock};

/// Which kind of errors the correction engine looks for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// OCR output (the default): glyph look-alikes and the learned OCR channel.
    #[default]
    Ocr,
    /// Text typed with a pinyin input method: same- and near-pinyin
    /// candidates, then glyph look-alikes.
    Typing,
}

impl Profile {
    /// The profile's name as written in configuration and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Ocr => "ocr",
            Profile::Typing => "typing",
        }
    }
}

impl std::str::FromStr for Profile {
    type Err = String;
    fn from_str(s: &str) -> Result<Profile, String> {
        match s {
            "ocr" => Ok(Profile::Ocr),
            "typing" => Ok(Profile::Typing),
            _ => Err(format!(
                "unknown profile `{s}` (expected `ocr` or `typing`)"
            )),
        }
    }
}

/// The correction model of one run: profile and channel.
#[derive(Debug, Clone, Default)]
pub struct CorrectionModel {
    /// Which candidate sources run.
    pub profile: Profile,
    /// A user channel replacing the embedded one (None = embedded).
    channel: Option<Arc<Channel>>,
}

impl CorrectionModel {
    /// A model with `profile` and, when given, a user channel.
    pub fn new(profile: Profile, channel: Option<Arc<Channel>>) -> CorrectionModel {
        CorrectionModel { profile, channel }
    }

    /// The default model: OCR profile, embedded channel.
    pub fn embedded() -> &'static CorrectionModel {
        static M: OnceLock<CorrectionModel> = OnceLock::new();
        M.get_or_init(CorrectionModel::default)
    }

    /// The OCR channel in use.
    pub fn channel(&self) -> &Channel {
        self.channel
            .as_deref()
            .unwrap_or_else(|| Channel::embedded())
    }

    /// True when a user channel replaces the embedded one.
    pub fn has_user_channel(&self) -> bool {
        self.channel.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_names_round_trip() {
        for p in [Profile::Ocr, Profile::Typing] {
            assert_eq!(p.name().parse::<Profile>(), Ok(p));
        }
        assert!("pinyin".parse::<Profile>().is_err());
    }

    #[test]
    fn user_channel_replaces_the_embedded_one() {
        let user = Arc::new(Channel::parse("sub\t未\t末\t3\t-0.5\n"));
        let m = CorrectionModel::new(Profile::Ocr, Some(user));
        assert!(m.has_user_channel());
        assert_eq!(m.channel().sub('未', '末'), Some((3, -0.5)));
        let d = CorrectionModel::embedded();
        assert!(!d.has_user_channel());
        assert!(std::ptr::eq(d.channel(), Channel::embedded()));
    }
}

// Image sequences as footage (io/video_reader.h), read through OpenImageIO:
// in the image library (io/media.h), so a Movie File In on a sequence loads
// OpenImageIO and no libav, and one on a movie the reverse.
#include <OpenImageIO/imageio.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "netcook/io/output_spec.h"
#include "netcook/io/video_reader.h"

namespace fs = std::filesystem;

namespace netcook {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& reason) {
  throw IoError("cannot read " + path + ": " + reason);
}

// The pattern split around its one frame token.
struct SequencePattern {
  std::string directory, prefix, suffix;
};

class SequenceReader : public FootageReader {
 public:
  explicit SequenceReader(const std::string& pattern) : pattern_(pattern) {
    const SequencePattern p = split(pattern);
    std::error_code ec;
    std::vector<std::pair<std::int64_t, std::string>> found;
    const fs::path dir = p.directory.empty() ? fs::path(".") : fs::path(p.directory);
    if (!fs::is_directory(dir, ec)) fail(pattern, "no folder " + dir.string());
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name.size() <= p.prefix.size() + p.suffix.size() || name.compare(0, p.prefix.size(), p.prefix) != 0 ||
          name.compare(name.size() - p.suffix.size(), p.suffix.size(), p.suffix) != 0)
        continue;
      const std::string digits = name.substr(p.prefix.size(), name.size() - p.prefix.size() - p.suffix.size());
      std::size_t start = digits[0] == '-' ? 1 : 0;
      if (start == digits.size() || digits.size() > 18 ||
          !std::all_of(digits.begin() + static_cast<std::ptrdiff_t>(start), digits.end(),
                       [](char c) { return c >= '0' && c <= '9'; }))
        continue;
      found.emplace_back(std::stoll(digits), it->path().string());
    }
    if (ec) fail(pattern, ec.message());
    if (found.empty()) fail(pattern, "no file matches the sequence pattern");
    std::sort(found.begin(), found.end());
    for (auto& [number, file] : found) {
      info_.file_numbers.push_back(number);
      files_.push_back(std::move(file));
    }
    auto input = OIIO::ImageInput::open(files_.front());
    if (!input) fail(files_.front(), OIIO::geterror());
    const OIIO::ImageSpec& spec = input->spec();
    info_.width = spec.width;
    info_.height = spec.height;
    info_.frames = static_cast<std::int64_t>(files_.size());
    info_.is_sequence = true;
    info_.has_alpha = spec.alpha_channel >= 0 || spec.nchannels == 2 || spec.nchannels >= 4;
    info_.codec = input->format_name();
  }

  void read_frame(std::int64_t index, ImageView out, int) override {
    if (index < 0 || index >= info_.frames)
      fail(pattern_, "frame " + std::to_string(index) + " out of range 0.." + std::to_string(info_.frames - 1));
    const std::string& file = files_[static_cast<std::size_t>(index)];
    auto input = OIIO::ImageInput::open(file);
    if (!input) fail(file, OIIO::geterror());
    const OIIO::ImageSpec spec = input->spec();
    if (spec.width != info_.width || spec.height != info_.height || spec.depth > 1)
      fail(file, std::to_string(spec.width) + "x" + std::to_string(spec.height) + ", while the sequence's first file is " +
                     std::to_string(info_.width) + "x" + std::to_string(info_.height));
    const int channels = std::min(spec.nchannels, 4);
    pixels_.resize(static_cast<std::size_t>(spec.width) * spec.height * channels);
    if (!input->read_image(0, 0, 0, channels, OIIO::TypeDesc::FLOAT, pixels_.data()))
      fail(file, input->geterror());
    ++frames_decoded_;
    for (int y = 0; y < info_.height; ++y) {
      const float* s = pixels_.data() + static_cast<std::size_t>(y) * info_.width * channels;
      float* d = out.data + y * out.stride;
      for (int x = 0; x < info_.width; ++x, s += channels, d += 4) {
        if (channels <= 2) {
          d[0] = d[1] = d[2] = s[0];
          d[3] = channels == 2 ? s[1] : 1.0f;
        } else {
          d[0] = s[0];
          d[1] = s[1];
          d[2] = s[2];
          d[3] = channels == 4 ? s[3] : 1.0f;
        }
      }
    }
  }

 private:
  // Splits at the file name's frame token ("shots/a.####.png" -> "shots",
  // "a.", ".png"). A token in the folder part is not supported.
  static SequencePattern split(const std::string& pattern) {
    const fs::path path(pattern);
    const std::string name = path.filename().string();
    SequencePattern p;
    p.directory = path.parent_path().string();
    if (has_frame_token(p.directory)) fail(pattern, "a frame number is allowed in the file name only");
    std::size_t begin = name.find('#'), end = begin;
    if (begin != std::string::npos) {
      while (end < name.size() && name[end] == '#') ++end;
    } else {
      begin = name.find('%');
      end = begin + 1;
      while (end < name.size() && name[end] >= '0' && name[end] <= '9') ++end;
      ++end;  // the 'd'
    }
    p.prefix = name.substr(0, begin);
    p.suffix = name.substr(end);
    if (has_frame_token(p.prefix) || has_frame_token(p.suffix))
      fail(pattern, "a sequence pattern holds one frame number");
    return p;
  }

  std::string pattern_;
  std::vector<std::string> files_;
  std::vector<float> pixels_;
};

}  // namespace

}  // namespace netcook

netcook::FootageReader* netcook_image_open_sequence(const std::string& path) {
  return new netcook::SequenceReader(path);
}
